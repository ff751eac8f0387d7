package dev.kemi.runtime.modules.tm;

/** A transaction's own settings (times in ms): the modparams, as changed by t_set_* and t_relay flags. */
final class TxSettings {
    int frTimeout, frInvTimeout;
    int retrT1, retrT2, maxLifetime;
    boolean autoInv100;
    boolean disableInternalReply;
    boolean disable6xx;
    boolean noE2eCancelReason;
    /** faked_reply_prio: added to the priority of tm's own replies when picking the winner. */
    int fakedReplyPrio;
}
