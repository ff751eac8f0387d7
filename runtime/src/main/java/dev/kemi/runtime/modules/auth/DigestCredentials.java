package dev.kemi.runtime.modules.auth;

/**
 * One Authorization / Proxy-Authorization value parsed as Kamailio's core digest parser does:
 * the scheme must be "Digest" followed by LWS or ','; parameters are name=token or
 * name="quoted" (no escapes); a parameter given twice keeps the last value. Absent parameters
 * are null; present but empty ones are "".
 */
public final class DigestCredentials {
    public enum Qop { UNSPEC, AUTH, AUTH_INT, OTHER }

    /** username as sent, and its user / domain parts (user@domain, sip:user@domain). */
    public String username, user, domain;
    public String realm, nonce, uri, response, cnonce, opaque, qop, nc, algorithm;

    private DigestCredentials() {}

    /** Result of {@link #parse}: credentials, or not Digest (skipped), or malformed. */
    public static final DigestCredentials NOT_DIGEST = new DigestCredentials();
    public static final DigestCredentials MALFORMED = new DigestCredentials();

    public Qop qopParsed() {
        return parseQop(qop);
    }

    static Qop parseQop(String q) {
        if (q == null) return Qop.UNSPEC;
        String s = q.trim();
        if (s.isEmpty()) return Qop.UNSPEC;
        if (s.equalsIgnoreCase("auth")) return Qop.AUTH;
        if (s.equalsIgnoreCase("auth-int")) return Qop.AUTH_INT;
        return Qop.OTHER;
    }

    /** check_dig_cred: every field the response needs is present. */
    public boolean complete() {
        if (user == null || realm == null || nonce == null || uri == null || response == null) return false;
        Qop q = qopParsed();
        return !(q == Qop.AUTH || q == Qop.AUTH_INT) || (cnonce != null && nc != null);
    }

    /** The realm accounting uses: the username's domain when given, else realm (GET_REALM). */
    public String accountingRealm() {
        return domain != null && !domain.isEmpty() ? domain : realm;
    }

    public static DigestCredentials parse(String value) {
        String s = value;
        int i = skipLws(s, 0);
        if (s.length() - i < 7) return NOT_DIGEST;
        if (!s.regionMatches(true, i, "digest", 0, 6)) return NOT_DIGEST;
        char sep = s.charAt(i + 6);
        if (sep != ' ' && sep != '\t' && sep != '\r' && sep != '\n' && sep != ',') return NOT_DIGEST;
        DigestCredentials c = new DigestCredentials();
        i = skipLws(s, i + 7);
        while (true) {
            int eq = s.indexOf('=', i);
            if (eq < 0) return MALFORMED;
            String name = s.substring(i, eq).trim();
            int v = skipLws(s, eq + 1);
            if (v >= s.length()) return MALFORMED;
            String val;
            if (s.charAt(v) == '"') {
                int close = s.indexOf('"', v + 1);
                if (close < 0) return MALFORMED;
                val = s.substring(v + 1, close);
                i = close + 1;
            } else {
                int e = v;
                while (e < s.length() && " \t\r\n,".indexOf(s.charAt(e)) < 0) e++;
                if (e == v) return MALFORMED;
                val = s.substring(v, e);
                i = e;
            }
            c.set(name, val);
            int comma = s.indexOf(',', i);
            if (comma < 0) break;
            i = skipLws(s, comma + 1);
        }
        if (c.username != null) c.splitUsername();
        return c;
    }

    private void set(String name, String val) {
        switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "username" -> username = val;
            case "realm" -> realm = val;
            case "nonce" -> nonce = val;
            case "uri" -> uri = val;
            case "response" -> response = val;
            case "cnonce" -> cnonce = val;
            case "opaque" -> opaque = val;
            case "qop" -> qop = val;
            case "nc" -> nc = val;
            case "algorithm" -> algorithm = val;
            default -> { } // other parameters are skipped, as Kamailio does
        }
    }

    /** parse_username: user@domain, and a leading scheme ("sip:") dropped from the user. */
    private void splitUsername() {
        user = username;
        if (username.length() <= 2) return;
        int at = username.indexOf('@');
        if (at >= 0) {
            domain = username.substring(at + 1);
            user = username.substring(0, at);
        }
        int colon = user.indexOf(':');
        if (colon >= 0) user = user.substring(colon + 1);
    }

    private static int skipLws(String s, int i) {
        while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) i++;
        return i;
    }
}
