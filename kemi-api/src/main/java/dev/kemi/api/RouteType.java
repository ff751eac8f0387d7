package dev.kemi.api;

/** Route types as Kamailio's *_ROUTE bit flags; an export lists where it may run. */
public final class RouteType {
    public static final int REQUEST = 1;
    public static final int FAILURE = 2;
    public static final int TM_ONREPLY = 4;
    public static final int BRANCH = 8;
    public static final int ONSEND = 16;
    public static final int ERROR = 32;
    public static final int LOCAL = 64;
    public static final int CORE_REPLY = 128;
    public static final int BRANCH_FAILURE = 256;
    public static final int EVENT = 512;
    public static final int ONREPLY = TM_ONREPLY | CORE_REPLY;
    public static final int ANY = 0xFFFF;

    private RouteType() {}

    /** Block name as used in kamailio.cfg, for messages. */
    public static String name(int type) {
        return switch (type) {
            case REQUEST -> "request_route";
            case FAILURE -> "failure_route";
            case TM_ONREPLY -> "onreply_route";
            case BRANCH -> "branch_route";
            case ONSEND -> "onsend_route";
            case ERROR -> "error_route";
            case LOCAL -> "local_route";
            case CORE_REPLY -> "reply_route";
            case BRANCH_FAILURE -> "branch_failure_route";
            case EVENT -> "event_route";
            default -> "route(" + type + ")";
        };
    }
}
