package dev.kemi.runtime.modules.tm;

/** The routes t_on_failure / t_on_branch / t_on_reply / t_on_branch_failure armed; null if none. */
final class ArmedRoutes {
    String onFailure, onBranch, onReply, onBranchFailure;

    /** The routes armed on a message so far, for the transaction it creates. */
    ArmedRoutes copy() {
        ArmedRoutes r = new ArmedRoutes();
        r.onFailure = onFailure;
        r.onBranch = onBranch;
        r.onReply = onReply;
        r.onBranchFailure = onBranchFailure;
        return r;
    }
}
