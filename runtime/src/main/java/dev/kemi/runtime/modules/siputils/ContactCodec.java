package dev.kemi.runtime.modules.siputils;

import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.SipUri;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The two Contact URI encodings of Kamailio's siputils (contact_ops.c), as pure text functions.
 * Field encoding (encode_contact): {@code sip:user:pw@host:port;transport=t} becomes
 * {@code sip:PREFIX*user*pw*host*port*t@PUBLIC} (any other URI parameter is lost, as in Kamailio).
 * Parameter encoding (contact_param_encode): the whole URI becomes base64url (unpadded) in a
 * parameter of another URI. Error codes are Kamailio's.
 */
final class ContactCodec {
    private ContactCodec() {}

    /** Kamailio's parse_uri failure (E_BAD_URI) as encode2format/encode_uri pass it up. */
    static final int BAD_URI = -479 - 10 - 20;

    /** A result URI, or the error code when uri is null. */
    record Result(String uri, int code) {
        static Result error(int code) { return new Result(null, code); }
    }

    /** encode_uri: the URI with its fields packed into the user part, or the error. */
    static Result encode(String uri, String prefix, String publicIp, char sep) {
        if (uri.length() <= 1) return Result.error(-1);
        int colon = uri.indexOf(':');
        if (colon < 0) return Result.error(-5 - 20);
        if (colon < 3) return Result.error(-6 - 20);
        SipUri u;
        try {
            // Kamailio parses from three characters before the colon: "sips:" fails there too
            u = SipUri.parse(uri.substring(colon - 3));
        } catch (SipParseException | RuntimeException e) {
            return Result.error(BAD_URI);
        }
        String transport = u.params().get("transport");
        return new Result(uri.substring(0, colon + 1) + prefix + sep + nz(u.user()) + sep + nz(u.password()) + sep
                + nz(u.host()) + sep + (u.port() >= 0 ? Integer.toString(u.port()) : "") + sep + nz(transport)
                + '@' + publicIp, 0);
    }

    /** decode_uri: the URI encode() made, back to its fields, or the error. */
    static Result decode(String uri, char sep) {
        if (uri == null || uri.isEmpty()) return Result.error(-1);
        int colon = uri.indexOf(':');
        if (colon < 0) return Result.error(-2 - 20);
        int first = colon + 1;
        int at = uri.indexOf('@', first);
        if (at < 0) return Result.error(-3 - 20);
        // prefix, user, password, host, port, then the protocol up to '@'
        String[] f = new String[6];
        int n = 0;
        int last = first;
        for (int i = first; i < at; i++) {
            if (uri.charAt(i) != sep) continue;
            if (n == 5) return Result.error(-4 - 20);
            f[n++] = uri.substring(last, i);
            last = i + 1;
        }
        if (n != 5) return Result.error(-6 - 20);
        f[5] = uri.substring(last, at);
        String user = f[1], pass = f[2], ip = f[3], port = f[4], proto = f[5];
        if (ip.isEmpty()) return Result.error(-2);
        if (!pass.isEmpty() && user.isEmpty()) return Result.error(-3);
        int second = uri.length();
        for (int i = at; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == ';' || c == '>') {
                second = i;
                break;
            }
        }
        StringBuilder b = new StringBuilder(uri.length()).append(uri, 0, first);
        if (!user.isEmpty()) b.append(user).append(pass.isEmpty() ? '@' : ':');
        if (!pass.isEmpty()) b.append(pass).append('@');
        b.append(ip);
        if (!port.isEmpty()) b.append(':').append(port);
        if (!proto.isEmpty()) b.append(";transport=").append(proto);
        return new Result(b.append(uri, second, uri.length()).toString(), 0);
    }

    /** The URI as base64url without '=' padding (ki_contact_param_encode). */
    static String paramValue(String uri) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(uri.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The URI a parameter value holds, or null when it is not base64url (padding is added as Kamailio does). */
    static String fromParamValue(String v) {
        try {
            byte[] b = Base64.getUrlDecoder().decode(v);
            return b.length == 0 ? null : new String(b, StandardCharsets.ISO_8859_1);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Where the URI parameter {@code name} sits (after the host part, before any '?'):
     * {start of its ';', end of name[=value], start of the value or -1}; null if absent.
     */
    static int[] param(String uri, String name) {
        int colon = uri.indexOf(':');
        int at = uri.indexOf('@', colon + 1);
        int q = uri.indexOf('?', colon + 1);
        int end = q < 0 ? uri.length() : q;
        if (at > end) at = -1;
        int i = uri.indexOf(';', at >= 0 ? at : colon + 1);
        while (i >= 0 && i < end) {
            int e = uri.indexOf(';', i + 1);
            if (e < 0 || e > end) e = end;
            int eq = uri.indexOf('=', i + 1);
            boolean hasValue = eq >= 0 && eq < e;
            if (uri.substring(i + 1, hasValue ? eq : e).strip().equalsIgnoreCase(name)) {
                int vs = -1;
                if (hasValue) {
                    vs = eq + 1;
                    while (vs < e && (uri.charAt(vs) == ' ' || uri.charAt(vs) == '\t')) vs++;
                }
                int pe = e;
                while (pe > i && (uri.charAt(pe - 1) == ' ' || uri.charAt(pe - 1) == '\t')) pe--;
                return new int[] {i, pe, vs};
            }
            i = e < end ? e : -1;
        }
        return null;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
