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
    /** An event_route block; as a flag it is Kamailio's ONEVENT_ROUTE. */
    public static final int EVENT = 512;
    /** Kamailio's EVENT_ROUTE flag of cmd_export_t tables: REQUEST_ROUTE | ONEVENT_ROUTE. */
    public static final int EVENT_ROUTE = REQUEST | EVENT;
    public static final int ONREPLY = TM_ONREPLY | CORE_REPLY;
    public static final int ANY = 0xFFFF;
    /**
     * A core action of cfg.y (forward, seturi, strip ...): allowed anywhere but in onsend_route,
     * where cfg.y takes only drop, log, the script flags, set_*_no_connect/close and module functions.
     */
    public static final int NOT_ONSEND = ANY & ~ONSEND;

    private RouteType() {}

    /**
     * The route type {@code kamailio -c} checks a block's function calls against (cfg.y's
     * {@code rt}): route[...] blocks count as request_route, every event_route (branch-failure
     * included) as EVENT_ROUTE.
     */
    public static int parseType(int blockType, boolean subRoute) {
        if (subRoute) return REQUEST;
        return blockType == EVENT || blockType == BRANCH_FAILURE ? EVENT_ROUTE : blockType;
    }

    /** Kamailio's sr_cmd_flags_match: may a function with these flags be used where rt is checked. */
    public static boolean allows(int flags, int rt) {
        return (flags & rt) == rt || rt == EVENT_ROUTE && (flags & EVENT_ROUTE) != 0;
    }

    /** The blocks these flags allow, for messages: "request_route, failure_route". */
    public static String describe(int flags) {
        if ((flags & ANY) == ANY) return "any route";
        if ((flags & ANY) == NOT_ONSEND) return "any route but onsend_route";
        StringBuilder b = new StringBuilder();
        for (int t : new int[] {REQUEST, FAILURE, TM_ONREPLY, BRANCH, ONSEND, LOCAL, CORE_REPLY, BRANCH_FAILURE, EVENT}) {
            if ((flags & t) == 0) continue;
            if (!b.isEmpty()) b.append(", ");
            b.append(name(t));
        }
        return b.isEmpty() ? "no route" : b.toString();
    }

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
