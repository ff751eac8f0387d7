package dev.kemi.runtime.rtpproxy;

/** rtpproxy's numeric error replies ({@code E<code>}), same numbers as rtpproxy. */
final class ErrorCode {
    static final int UNKNOWN_COMMAND = 0;
    static final int ARG_COUNT = 1;
    static final int MODIFIERS_NOT_ALLOWED = 2;
    static final int SYNTAX = 5;
    static final int DELETE_MODIFIER = 8;
    static final int STATS_MODIFIER = 9;
    static final int NO_EXTERNAL_ADDRESS = 11;
    static final int NO_INTERNAL_ADDRESS = 12;
    static final int BAD_PTIME = 13;
    static final int BAD_CODECS = 14;
    static final int BAD_LOCAL_ADDRESS_SYNTAX = 15;
    static final int BAD_REMOTE_ADDRESS_SYNTAX = 16;
    static final int INFO_MODIFIER = 18;
    static final int QUERY_MODIFIER = 19;
    static final int BAD_LOCAL_ADDRESS = 31;
    static final int BAD_REMOTE_ADDRESS_MODIFIER = 32;
    static final int NO_LOCAL_FOR_REMOTE = 33;
    static final int UNKNOWN_MODIFIER = 35;
    static final int NO_ADDRESS_FOR_FAMILY = 36;
    static final int BAD_REMOTE_ADDRESS = 37;
    static final int SESSION_NOT_FOUND = 50;
    static final int QUERY_FAILED = 62;
    static final int STATS_FAILED = 68;
    static final int LISTENER_EXISTING = 71;
    static final int LISTENER_NEW = 72;
    static final int NOTIFY_DISABLED = 75;
    static final int SHUTTING_DOWN = 99;

    private ErrorCode() {
    }
}
