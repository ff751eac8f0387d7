package dev.kemi.runtime.modules.nathelper;

import dev.kemi.runtime.sip.Header;
import dev.kemi.runtime.sip.NameAddr;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.SipUri;

/**
 * Where the first Contact value of a message sits in the received bytes (Kamailio's
 * get_contact_uri: the first contact of the first Contact header), so its URI can be edited in
 * place as Kamailio's lumps do.
 *
 * @param valueStart offset of the contact value (its display name or '<' or URI)
 * @param valueEnd   offset after the value with its header parameters (c->name.s + c->len)
 * @param uriStart   offset of the URI
 * @param uriEnd     offset after the URI
 * @param hostStart  offset of the host in the URI
 * @param hostPortEnd offset after host[:port]
 * @param bracketed  the URI is inside '<' '>'
 * @param uri        the URI text
 * @param parsed     the parsed URI
 */
public record ContactSpot(int valueStart, int valueEnd, int uriStart, int uriEnd, int hostStart, int hostPortEnd,
                    boolean bracketed, boolean headerHasBracket, String uri, SipUri parsed) {

    /** The first Contact, or null when there is none, it is "*", or it does not parse. */
    public static ContactSpot of(SipMessage msg) {
        for (Header h : msg.allHeaders()) {
            if (!h.canonicalName().equals("contact")) continue;
            String f = msg.receivedText(h.start(), h.end());
            int colon = f.indexOf(':');
            if (colon < 0) return null;
            return parse(f, h.start(), colon + 1, trimmedEnd(f, colon));
        }
        return null;
    }

    /** Every Contact value in order (contact_iterator); null if one does not parse. */
    public static java.util.List<ContactSpot> all(SipMessage msg) {
        java.util.List<ContactSpot> out = new java.util.ArrayList<>();
        for (Header h : msg.allHeaders()) {
            if (!h.canonicalName().equals("contact")) continue;
            String f = msg.receivedText(h.start(), h.end());
            int colon = f.indexOf(':');
            if (colon < 0) return null;
            int end = trimmedEnd(f, colon);
            int from = colon + 1;
            while (from < end) {
                ContactSpot c = parse(f, h.start(), from, end);
                if (c == null) return null;
                out.add(c);
                from = c.valueEnd - h.start();
                while (from < end && (isLws(f.charAt(from)) || f.charAt(from) == ',')) from++;
            }
        }
        return out;
    }

    /** How many values the first Contact header holds (0 if none or one does not parse). */
    static int countInFirstHeader(SipMessage msg) {
        for (Header h : msg.allHeaders()) {
            if (!h.canonicalName().equals("contact")) continue;
            String f = msg.receivedText(h.start(), h.end());
            int colon = f.indexOf(':');
            int end = trimmedEnd(f, colon);
            int n = 0;
            for (int from = colon + 1; from < end; n++) {
                ContactSpot c = parse(f, h.start(), from, end);
                if (c == null) return 0;
                from = c.valueEnd - h.start();
                while (from < end && (isLws(f.charAt(from)) || f.charAt(from) == ',')) from++;
            }
            return n;
        }
        return 0;
    }

    private static int trimmedEnd(String f, int colon) {
        int end = f.length();
        while (end > colon && isLws(f.charAt(end - 1))) end--;
        return end;
    }

    /** The value starting at or after {@code from} in field text f (which starts at offset base). */
    private static ContactSpot parse(String f, int base, int from, int end) {
        int vs = from;
        while (vs < end && isLws(f.charAt(vs))) vs++;
        int ve = valueEnd(f, vs, end);
        int vt = ve;
        while (vt > vs && isLws(f.charAt(vt - 1))) vt--;
        if (vt == vs) return null;
        String value = f.substring(vs, vt);
        NameAddr na;
        SipUri u;
        try {
            na = NameAddr.parse(value);
            if ("*".equals(na.uri())) return null;
            u = na.parsedUri();
        } catch (SipParseException e) {
            return null;
        }
        if (u.host() == null || u.host().isEmpty()) return null;
        int us = vs + uriOffset(value);
        int ue = us + na.uri().length();
        String uri = na.uri();
        int schemeColon = uri.indexOf(':');
        int at = uri.indexOf('@', schemeColon + 1);
        int hs = at >= 0 ? at + 1 : schemeColon + 1;
        int hpe = hs + u.host().length();
        if (u.port() >= 0 && hpe < uri.length() && uri.charAt(hpe) == ':') {
            hpe++;
            while (hpe < uri.length() && Character.isDigit(uri.charAt(hpe))) hpe++;
        }
        boolean bracketed = us > vs && f.charAt(us - 1) == '<';
        boolean anyBracket = f.substring(from, end).indexOf('<') >= 0;
        return new ContactSpot(base + vs, base + vt, base + us, base + ue,
                base + us + hs, base + us + hpe, bracketed, anyBracket, uri, u);
    }

    /** Port of the URI, 0 if absent (Kamailio's port_no). */
    int portNo() {
        return Math.max(parsed.port(), 0);
    }

    /** Kamailio's uri.proto from the transport parameter: 0 none, 1 udp ... 6 wss, 7 other. */
    int proto() {
        String t = parsed.param("transport");
        if (t == null) return 0;
        return switch (t.toLowerCase(java.util.Locale.ROOT)) {
            case "udp" -> 1;
            case "tcp" -> 2;
            case "tls" -> 3;
            case "sctp" -> 4;
            case "ws" -> 5;
            case "wss" -> 6;
            default -> 7;
        };
    }

    /** The host without IPv6 brackets. */
    String hostAddress() {
        String host = parsed.host();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static boolean isLws(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    /** End of the first value: the first ',' outside quotes and angle brackets. */
    private static int valueEnd(String f, int i, int end) {
        boolean quoted = false;
        boolean angle = false;
        for (; i < end; i++) {
            char c = f.charAt(i);
            if (quoted) {
                if (c == '\\') i++;
                else if (c == '"') quoted = false;
            } else if (c == '"') {
                quoted = true;
            } else if (c == '<') {
                angle = true;
            } else if (c == '>') {
                angle = false;
            } else if (c == ',' && !angle) {
                return i;
            }
        }
        return end;
    }

    /** Offset of the URI in the value: after the first '<' outside quotes, else 0. */
    private static int uriOffset(String v) {
        boolean quoted = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (quoted) {
                if (c == '\\') i++;
                else if (c == '"') quoted = false;
            } else if (c == '"') {
                quoted = true;
            } else if (c == '<') {
                return i + 1;
            }
        }
        return 0;
    }
}
