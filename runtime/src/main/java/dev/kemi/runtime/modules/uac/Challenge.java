package dev.kemi.runtime.modules.uac;

/**
 * A WWW-Authenticate / Proxy-Authenticate value as Kamailio 5.6.3's parse_authenticate_body
 * reads it: Digest only, realm and nonce required, algorithm MD5 (or none), qop=auth
 * recognised by its "auth" prefix.
 */
record Challenge(String realm, String nonce, String opaque, String qop, boolean qopAuth) {

    /** null when the value is not a digest challenge uac can answer. */
    static Challenge parse(String body) {
        if (body == null) return null;
        int p = 0, end = body.length();
        while (p < end && Character.isWhitespace(body.charAt(p))) p++;
        if (p + 6 >= end || !body.regionMatches(true, p, "Digest", 0, 6)) return null;
        p += 6;
        if (!Character.isWhitespace(body.charAt(p))) return null;
        while (p < end && Character.isWhitespace(body.charAt(p))) p++;
        if (p == end) return null;
        String realm = null, nonce = null, opaque = null, qop = null;
        boolean qopAuth = false;
        while (p < end) {
            int nameStart = p;
            while (p < end && !Character.isWhitespace(body.charAt(p)) && body.charAt(p) != '=') p++;
            if (p == end) return null;
            String name = body.substring(nameStart, p).toLowerCase(java.util.Locale.ROOT);
            while (p < end && Character.isWhitespace(body.charAt(p))) p++;
            if (p == end || body.charAt(p) != '=') return null;
            p++;
            while (p < end && Character.isWhitespace(body.charAt(p))) p++;
            boolean mustQuote = name.equals("realm") || name.equals("nonce") || name.equals("domain") || name.equals("opaque");
            if (p + 1 >= end || (mustQuote && body.charAt(p) != '"')) return null;
            String val;
            if (body.charAt(p) == '"') {
                int s = ++p;
                while (p < end && body.charAt(p) != '"') p++;
                if (p == end) return null;
                val = body.substring(s, p);
                p++;
            } else {
                int s = p;
                while (p < end && !Character.isWhitespace(body.charAt(p)) && body.charAt(p) != ',') p++;
                val = body.substring(s, p);
            }
            while (p < end && Character.isWhitespace(body.charAt(p))) p++;
            if (p < end && body.charAt(p) == ',') {
                p++;
                while (p < end && Character.isWhitespace(body.charAt(p))) p++;
            }
            switch (name) {
                case "qop" -> {
                    qop = val;
                    if (val.startsWith("auth")) qopAuth = true;
                }
                case "realm" -> realm = val;
                case "nonce" -> nonce = val;
                case "opaque" -> opaque = val;
                case "algorithm" -> {
                    // Kamailio takes a 3-letter value (MD5) and refuses any other length (MD5-sess too)
                    if (val.length() != 3) return null;
                }
                case "stale" -> {
                    if (!val.equalsIgnoreCase("true") && !val.equalsIgnoreCase("false")) return null;
                }
                default -> { }
            }
        }
        if (nonce == null || nonce.isEmpty() || realm == null || realm.isEmpty()) return null;
        return new Challenge(realm, nonce, opaque, qop, qopAuth);
    }
}
