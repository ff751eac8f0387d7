package dev.kemi.runtime.modules.tm;

/**
 * tm's per-message state (a MessageContext attachment): the transaction the message belongs to,
 * the routes armed before a transaction exists, and what request processing did with it
 * (Kamailio's T, goto_on_* and "kr").
 */
final class TmState {
    Transaction tx;
    /** Branch this context is about (reply, branch and failure routes); -1 if none. */
    int branch = -1;
    /** The branch object while a branch_route runs (t_on_reply there arms that branch). */
    Branch routeBranch;
    String onFailure, onBranch, onReply, onBranchFailure;
    Integer autoInv100, disableInternalReply, disable6xx, noE2eCancelReason;
    int frTimeout, frInvTimeout;
    int retrT1, retrT2, maxInvLifetime, maxNoninvLifetime;
    /** The request's R-URI was used for a branch already. */
    boolean ruriConsumed;
    /** kr: a reply was sent statefully by the script / a branch was forwarded / error reply delayed. */
    boolean replied, forwarded, errorDelayed, released;
    int tmError;
}
