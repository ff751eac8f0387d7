package dev.kemi.runtime.sip;

/** Compact forms (RFC 3261 §7.3.3, §20 and extensions) and canonical names. */
public final class HeaderNames {
    private HeaderNames() {}

    /** Lower-case long name for any spelling ("v", "VIA", "Via" give "via"). */
    public static String canonical(String name) {
        String n = name.trim().toLowerCase(java.util.Locale.ROOT);
        if (n.length() == 1) {
            return switch (n.charAt(0)) {
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
                default -> n;
            };
        }
        return n;
    }
}
