package dev.kemi.runtime.sip;

import java.util.Map;

/**
 * One Via value (RFC 3261 §20.42, RFC 3581).
 *
 * @param transport "UDP", "TCP", ... upper case
 * @param host      sent-by host (IPv6 with brackets)
 * @param port      sent-by port, -1 if absent
 * @param params    parameters in order, lower-case names; "" for flags (bare "rport")
 * @param text      the value as given
 */
public record Via(String transport, String host, int port, Map<String, String> params, String text) {

    /**
     * Parses one via-parm: {@code SIP / 2.0 / UDP host[:port] *(;param)}, with LWS allowed
     * around "/", ":", ";" and "=". branch, received, maddr, ttl and rport values are checked.
     */
    public static Via parse(String text) throws SipParseException {
        String s = text;
        int end = s.length();
        int i = Chars.skipLws(s, 0, end);
        int e = Chars.tokenEnd(s, i, end);
        if (e == i) throw new SipParseException("Invalid Via protocol name");
        i = slash(s, e, end);
        e = Chars.tokenEnd(s, i, end);
        if (e == i) throw new SipParseException("Invalid Via protocol version");
        i = slash(s, e, end);
        e = Chars.tokenEnd(s, i, end);
        if (e == i) throw new SipParseException("Invalid Via transport");
        String transport = Chars.name(s, i, e, true);
        i = Chars.skipLws(s, e, end);
        if (i == e) throw new SipParseException("Missing whitespace before Via sent-by");
        int he = Hosts.hostEnd(s, i, end);
        if (he < 0) throw new SipParseException("Invalid Via sent-by host");
        String host = s.substring(i, he);
        i = Chars.skipLws(s, he, end);
        int port = -1;
        if (i < end && s.charAt(i) == ':') {
            i = Chars.skipLws(s, i + 1, end);
            int pe = i;
            while (pe < end && Chars.isDigit(s.charAt(pe))) pe++;
            port = Hosts.port(s, i, pe);
            if (port < 0) throw new SipParseException("Invalid Via sent-by port");
            i = pe;
        }
        Map<String, String> params = Params.parse(s, i, end, "Via");
        check(params);
        return new Via(transport, host, port, params, text);
    }

    private static int slash(String s, int i, int end) throws SipParseException {
        i = Chars.skipLws(s, i, end);
        if (i >= end || s.charAt(i) != '/') throw new SipParseException("Missing / in Via protocol");
        return Chars.skipLws(s, i + 1, end);
    }

    private static void check(Map<String, String> p) throws SipParseException {
        String v = p.get("branch");
        if (v != null && !Chars.isTokenString(v)) throw new SipParseException("Invalid Via branch");
        v = p.get("received");
        if (v != null && !Hosts.isAddress(v)) throw new SipParseException("Invalid Via received");
        v = p.get("maddr");
        if (v != null && !Hosts.isAddress(v)) throw new SipParseException("Invalid Via maddr");
        v = p.get("ttl");
        if (v != null && Chars.parseUnsigned(v, 0, v.length(), 255) < 0) {
            throw new SipParseException("Invalid Via ttl");
        }
        v = p.get("rport");
        if (v != null && !v.isEmpty() && Hosts.port(v, 0, v.length()) < 0) {
            throw new SipParseException("Invalid Via rport");
        }
    }

    public String branch() { return params.get("branch"); }

    public String received() { return params.get("received"); }

    /** rport value: -1 absent, 0 present without value, else the port. */
    public int rport() {
        String v = params.get("rport");
        if (v == null) return -1;
        if (v.isEmpty()) return 0;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public String maddr() { return params.get("maddr"); }

    /** ttl, -1 if absent. */
    public int ttl() {
        String v = params.get("ttl");
        try {
            return v == null ? -1 : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
