package dev.kemi.runtime.modules.tm;

/**
 * tm modparams with Kamailio 5.6 defaults (times in ms, as the 5.x modparams are). Accepted but
 * without effect here (no DNS failover, blacklists, t_next_contacts or async suspension):
 * fr_inv_timer_next, delete_timer, unix_tx_timeout, pass_provisional_replies,
 * aggregate_challenges, reparse_invite (always on), failure_reply_mode, faked_reply_prio,
 * ruri_matching, via1_matching, callid_matching, failure_exec_mode.
 */
final class TmConfig {
    int frTimer = 30000;
    int frInvTimer = 120000;
    int frInvTimerNext = 30000;
    int wtTimer = 5000;
    int deleteTimer = 200;
    int retrT1 = 500;
    int retrT2 = 4000;
    int maxInvLifetime = 180000;
    int maxNoninvLifetime = 32000;
    int noisyCtimer = 1;
    int autoInv100 = 1;
    String autoInv100Reason = "trying -- your call is important to us";
    int unixTxTimeout = 500;
    int restartFrOnEachReply = 1;
    int passProvisionalReplies;
    int aggregateChallenges = 1;
    int unmatchedCancel;
    int defaultCode = 500;
    String defaultReason = "Server Internal Error";
    int reparseInvite = 1;
    int disable6xxBlock;
    int remap503To500 = 1;
    int failureReplyMode;
    int fakedReplyPrio;
    int localCancelReason = 1;
    int e2eCancelReason = 1;
    int cancelBMethod = 1;
    int ruriMatching = 1;
    int via1Matching = 1;
    int callidMatching;
    int failureExecMode;
}
