package dev.kemi.runtime.modules.tm;

/**
 * tm modparams with Kamailio 5.6 defaults (times in ms, as the 5.x modparams are). Parameters of
 * features tm does not have are refused by {@link TmModule}, not kept here.
 */
final class TmConfig {
    int frTimer = 30000;
    int frInvTimer = 120000;
    int wtTimer = 5000;
    int retrT1 = 500;
    int retrT2 = 4000;
    int maxInvLifetime = 180000;
    int maxNoninvLifetime = 32000;
    int noisyCtimer = 1;
    int autoInv100 = 1;
    String autoInv100Reason = "trying -- your call is important to us";
    int restartFrOnEachReply = 1;
    int aggregateChallenges = 1;
    int unmatchedCancel;
    int defaultCode = 500;
    String defaultReason = "Server Internal Error";
    int disable6xxBlock;
    int remap503To500 = 1;
    int failureReplyMode = 3;
    int fakedReplyPrio;
    int localCancelReason = 1;
    int e2eCancelReason = 1;
    int cancelBMethod = 1;
    /** xavp names of t_load_contacts / t_next_contacts and t_next_contact_flow; null: feature off. */
    String contactsAvp, contactFlowsAvp;
}
