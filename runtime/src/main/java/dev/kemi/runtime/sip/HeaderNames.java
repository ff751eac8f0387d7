package dev.kemi.runtime.sip;

import java.util.HashMap;
import java.util.Map;

/**
 * Compact forms (RFC 3261 §7.3.3, §20 and extensions) and canonical names. Well-known headers
 * also get a small integer id so the message index matches them without building Strings.
 */
public final class HeaderNames {
    private HeaderNames() {}

    /** Lower-case long name for any spelling ("v", "VIA", "Via" give "via"). */
    public static String canonical(String name) {
        String n = name.trim().toLowerCase(java.util.Locale.ROOT);
        if (n.length() == 1) {
            String c = compact(n.charAt(0));
            return c == null ? n : c;
        }
        return n;
    }

    private static String compact(int c) {
        return switch (c) {
            case 'i' -> "call-id";
            case 'm' -> "contact";
            case 'e' -> "content-encoding";
            case 'l' -> "content-length";
            case 'c' -> "content-type";
            case 'f' -> "from";
            case 's' -> "subject";
            case 'k' -> "supported";
            case 't' -> "to";
            case 'v' -> "via";
            case 'r' -> "refer-to";
            case 'b' -> "referred-by";
            case 'o' -> "event";
            case 'u' -> "allow-events";
            case 'a' -> "accept-contact";
            case 'j' -> "reject-contact";
            case 'd' -> "request-disposition";
            case 'x' -> "session-expires";
            case 'y' -> "identity";
            default -> null;
        };
    }

    // ---- ids of well-known headers (0 = any other name)
    static final int OTHER = 0;
    static final int VIA = 1;
    static final int FROM = 2;
    static final int TO = 3;
    static final int CALL_ID = 4;
    static final int CSEQ = 5;
    static final int MAX_FORWARDS = 6;
    static final int CONTENT_LENGTH = 7;
    static final int CONTENT_TYPE = 8;
    static final int CONTACT = 9;
    static final int ROUTE = 10;
    static final int RECORD_ROUTE = 11;
    static final int EXPIRES = 12;
    static final int DATE = 13;
    static final int RETRY_AFTER = 14;

    private static final String[] NAMES = {
        null, "via", "from", "to", "call-id", "cseq", "max-forwards", "content-length",
        "content-type", "contact", "route", "record-route", "expires", "date", "retry-after",
        // the rest only need an id so that compact forms and long forms match
        "content-encoding", "subject", "supported", "refer-to", "referred-by", "event",
        "allow-events", "accept-contact", "reject-contact", "request-disposition",
        "session-expires", "identity", "require", "proxy-require", "unsupported", "allow",
        "accept", "accept-encoding", "accept-language", "content-language", "in-reply-to",
        "warning", "call-info", "alert-info", "error-info", "path", "service-route",
        "p-asserted-identity", "p-preferred-identity", "history-info", "security-client",
        "security-server", "security-verify", "authorization", "proxy-authorization",
        "www-authenticate", "proxy-authenticate", "user-agent", "server", "min-expires",
    };

    /** Headers whose value is a comma-separated list (split by headerValues). */
    private static final String[] LISTS = {
        "via", "contact", "route", "record-route", "content-encoding", "supported",
        "allow-events", "accept-contact", "reject-contact", "request-disposition", "require",
        "proxy-require", "unsupported", "allow", "accept", "accept-encoding", "accept-language",
        "content-language", "in-reply-to", "warning", "call-info", "alert-info", "error-info",
        "path", "service-route", "p-asserted-identity", "p-preferred-identity", "history-info",
        "security-client", "security-server", "security-verify",
    };

    private static final Map<String, Integer> IDS = new HashMap<>();
    /** Candidate ids by (length, first letter): usually one, so a name costs one comparison. */
    private static final int[][] BY_KEY = new int[32 * 32][];
    private static final boolean[] IS_LIST = new boolean[NAMES.length];

    static {
        for (int id = 1; id < NAMES.length; id++) {
            IDS.put(NAMES[id], id);
            int k = key(NAMES[id].length(), NAMES[id].charAt(0));
            int[] old = BY_KEY[k] == null ? new int[0] : BY_KEY[k];
            int[] grown = java.util.Arrays.copyOf(old, old.length + 1);
            grown[old.length] = id;
            BY_KEY[k] = grown;
        }
        for (String l : LISTS) IS_LIST[IDS.get(l)] = true;
    }

    /** Id of a header name given in any spelling; OTHER if not well known. */
    static int id(String name) {
        int from = 0;
        int to = name.length();
        while (from < to && name.charAt(from) <= ' ') from++;
        while (to > from && name.charAt(to - 1) <= ' ') to--;
        int len = to - from;
        if (len == 0 || len >= 32 || !isAscii(name, from, to)) {
            // rare spellings take the general path (non-ASCII case mapping)
            Integer id = IDS.get(canonical(name));
            return id == null ? OTHER : id;
        }
        int first = name.charAt(from) | 0x20;
        if (len == 1) {
            String n = compact(first);
            return n == null ? OTHER : IDS.get(n);
        }
        int[] candidates = BY_KEY[key(len, first)];
        if (candidates == null) return OTHER;
        for (int id : candidates) {
            if (equalsLower(name, from, NAMES[id])) return id;
        }
        return OTHER;
    }

    private static boolean isAscii(String s, int from, int to) {
        for (int i = from; i < to; i++) if (s.charAt(i) >= 0x80) return false;
        return true;
    }

    /** Case-insensitive (ASCII) compare of s[from, from + lower.length()) with a lower-case name. */
    private static boolean equalsLower(String s, int from, String lower) {
        for (int i = 0; i < lower.length(); i++) {
            int c = s.charAt(from + i);
            if (c >= 'A' && c <= 'Z') c += 32;
            if (c != lower.charAt(i)) return false;
        }
        return true;
    }

    /** Id of the header name in b[from,to) (any case, compact forms included). */
    static int id(byte[] b, int from, int to) {
        int len = to - from;
        if (len == 1) {
            int c = b[from] | 0x20;
            String n = compact(c);
            return n == null ? OTHER : IDS.get(n);
        }
        if (len >= 32) return OTHER;
        int[] candidates = BY_KEY[key(len, b[from] | 0x20)];
        if (candidates == null) return OTHER;
        for (int id : candidates) {
            if (Chars.equalsLower(b, from, to, NAMES[id])) return id;
        }
        return OTHER;
    }

    /** Table slot of a name of that length starting with that (lower-case) character. */
    private static int key(int length, int first) {
        return length * 32 + (first & 31);
    }

    /** Canonical name of a well-known id. */
    static String name(int id) {
        return NAMES[id];
    }

    /** Whether values of the header with this id are comma-separated lists (unknown headers are not split). */
    static boolean isList(int id) {
        return IS_LIST[id];
    }
}
