package dev.kemi.runtime.modules.tm;

/** Which replies failure_route discards when it ends (failure_reply_mode, t_drop_replies()). */
final class DropReplies {
    static final int KEEP = 0, ALL = 1, LAST_LEG = 2, ALL_IF_NEW_LEG = 3;
    /** Index of the first branch of the last t_relay (the "last leg"). */
    int lastLegStart;
    /** While failure_route runs: one of the modes above. */
    int mode;
}
