package dev.kemi.runtime.sip;

import java.util.Locale;
import java.util.Map;

/**
 * A sip:, sips: or tel: URI (RFC 3261 §19.1, RFC 3966). Escapes (%HH) are kept as written.
 *
 * @param scheme   "sip", "sips" or "tel" (lower case)
 * @param user     user part (tel: the number), null if none
 * @param password null if none
 * @param host     host (IPv6 with brackets), null for tel:
 * @param port     -1 if absent
 * @param params   URI parameters in order, lower-case names; value "" for flags
 * @param headers  ?headers, raw text after '?', null if none
 * @param text     the URI text as given
 */
public record SipUri(String scheme, String user, String password, String host, int port,
                     Map<String, String> params, String headers, String text) {

    /**
     * Parses a sip/sips/tel URI. Other schemes fail with reply code 416 (Unsupported URI
     * Scheme); see {@link SipParseException#replyCode()}.
     */
    public static SipUri parse(String text) throws SipParseException {
        if (text == null) throw new SipParseException("Missing URI");
        int colon = text.indexOf(':');
        if (colon <= 0 || !isScheme(text, colon)) throw new SipParseException("Invalid URI");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c == '<' || c == '>' || c == '"' || c == 0x7f) {
                throw new SipParseException("Invalid character in URI");
            }
        }
        String scheme = text.substring(0, colon).toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "sip", "sips" -> parseSip(text, scheme, colon + 1);
            case "tel" -> parseTel(text, colon + 1);
            default -> throw new SipParseException("Unsupported URI Scheme", 416);
        };
    }

    /** scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) */
    static boolean isScheme(String s, int end) {
        if (end == 0 || !Chars.isAlpha(s.charAt(0))) return false;
        for (int i = 1; i < end; i++) {
            char c = s.charAt(i);
            if (!Chars.isAlpha(c) && !Chars.isDigit(c) && c != '+' && c != '-' && c != '.') return false;
        }
        return true;
    }

    private static SipUri parseSip(String s, String scheme, int i) throws SipParseException {
        int end = s.length();
        String user = null;
        String password = null;
        int at = s.indexOf('@', i);
        if (at >= 0) {
            int pw = s.indexOf(':', i);
            if (pw >= 0 && pw < at) {
                user = s.substring(i, pw);
                password = s.substring(pw + 1, at);
            } else {
                user = s.substring(i, at);
            }
            if (user.isEmpty()) throw new SipParseException("Empty user in URI");
            checkEscapes(user);
            i = at + 1;
        }
        int he = Hosts.hostEnd(s, i, end);
        if (he < 0) throw new SipParseException("Invalid host in URI");
        String host = s.substring(i, he);
        i = he;
        int port = -1;
        if (i < end && s.charAt(i) == ':') {
            int pe = i + 1;
            while (pe < end && Chars.isDigit(s.charAt(pe))) pe++;
            port = Hosts.port(s, i + 1, pe);
            if (port < 0) throw new SipParseException("Invalid port in URI");
            i = pe;
        }
        if (i < end && s.charAt(i) != ';' && s.charAt(i) != '?') throw new SipParseException("Invalid host in URI");
        Map<String, String> params = Map.of();
        if (i < end && s.charAt(i) == ';') {
            int q = s.indexOf('?', i);
            int pend = q < 0 ? end : q;
            params = uriParams(s, i, pend);
            i = pend;
        }
        String headers = i < end ? s.substring(i + 1) : null;
        return new SipUri(scheme, user, password, host, port, params, headers, s);
    }

    private static SipUri parseTel(String s, int i) throws SipParseException {
        int end = s.length();
        int semi = s.indexOf(';', i);
        int ne = semi < 0 ? end : semi;
        if (ne == i) throw new SipParseException("Empty telephone number");
        String number = s.substring(i, ne);
        Map<String, String> params = semi < 0 ? Map.of() : uriParams(s, semi, end);
        return new SipUri("tel", number, null, null, -1, params, null, s);
    }

    /** ;name[=value] pairs of s[i,end) where s[i] == ';' */
    private static Map<String, String> uriParams(String s, int i, int end) throws SipParseException {
        ParamMap out = new ParamMap();
        while (i < end) {
            int next = s.indexOf(';', i + 1);
            if (next < 0 || next > end) next = end;
            int eq = s.indexOf('=', i + 1);
            String name;
            String value;
            if (eq >= 0 && eq < next) {
                name = s.substring(i + 1, eq);
                value = s.substring(eq + 1, next);
            } else {
                name = s.substring(i + 1, next);
                value = "";
            }
            if (name.isEmpty()) throw new SipParseException("Empty URI parameter");
            checkEscapes(value);
            out.putFirst(name.toLowerCase(Locale.ROOT), value);
            i = next;
        }
        return out;
    }

    private static void checkEscapes(String s) throws SipParseException {
        for (int i = s.indexOf('%'); i >= 0; i = s.indexOf('%', i + 1)) {
            if (i + 2 >= s.length() || !isHex(s.charAt(i + 1)) || !isHex(s.charAt(i + 2))) {
                throw new SipParseException("Invalid escape in URI");
            }
        }
    }

    private static boolean isHex(char c) {
        return Chars.isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    public String param(String name) {
        return params.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    /** "transport" parameter lower-cased, or null. */
    public String transport() {
        String t = param("transport");
        return t == null ? null : t.toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String toString() {
        return text;
    }
}
