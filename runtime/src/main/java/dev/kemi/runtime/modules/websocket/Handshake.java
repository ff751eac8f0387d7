package dev.kemi.runtime.modules.websocket;

import dev.kemi.runtime.sip.Header;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The checks 5.6.3's ws_handle_handshake makes on the HTTP request, in its order, and the reply
 * they lead to: 101 with Sec-WebSocket-Accept (RFC 6455 §4.2.2), 426 for a version other than
 * 13, 400 for a repeated Key/Version/Origin or a missing required header or sub-protocol.
 * Host is not checked here (Kamailio leaves it to the script).
 */
record Handshake(int code, String reason, String headers) {
    static final int SIP = 1;
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int CONNECTION = 1, UPGRADE = 2, KEY = 8, PROTOCOL = 16, VERSION = 32, ORIGIN = 64;
    private static final int REQUIRED = CONNECTION | UPGRADE | KEY | PROTOCOL | VERSION;

    boolean accepted() {
        return code == 101;
    }

    /**
     * @param subProtocols the offered sub-protocols (1 = sip)
     * @param corsMode     0 none, 1 Access-Control-Allow-Origin: *, 2 the request's Origin
     */
    static Handshake check(List<Header> headers, int subProtocols, int corsMode) {
        int flags = 0, sub = 0;
        String key = null, origin = null;
        for (Header h : headers) {
            String name = h.name().trim();
            String value = h.value();
            if (name.equalsIgnoreCase("Connection")) {
                if (lower(value).contains("upgrade")) flags |= CONNECTION;
            } else if (name.equalsIgnoreCase("Upgrade")) {
                if (lower(value).contains("websocket")) flags |= UPGRADE;
            } else if (name.equalsIgnoreCase("Sec-WebSocket-Key")) {
                if ((flags & KEY) != 0) return badRequest("");
                key = value;
                flags |= KEY;
            } else if (name.equalsIgnoreCase("Sec-WebSocket-Protocol")) {
                if (lower(value).contains("sip")) {
                    flags |= PROTOCOL;
                    sub |= SIP;
                }
                // "msrp" is recognised by Kamailio too; we offer no MSRP, so it is masked out below
                if (lower(value).contains("msrp")) flags |= PROTOCOL;
            } else if (name.equalsIgnoreCase("Sec-WebSocket-Version")) {
                if ((flags & VERSION) != 0) return badRequest("");
                if (leadingInt(value) != 13) return new Handshake(426, "Upgrade Required", "Sec-WebSocket-Version: 13\r\n");
                flags |= VERSION;
            } else if (name.equalsIgnoreCase("Origin")) {
                if ((flags & ORIGIN) != 0) return badRequest("");
                origin = value;
                flags |= ORIGIN;
            }
        }
        sub &= subProtocols;
        if ((flags & REQUIRED) != REQUIRED || sub == 0) {
            return badRequest((subProtocols & SIP) != 0 ? "Sec-WebSocket-Protocol: sip\r\nSec-WebSocket-Version: 13\r\n"
                    : "Sec-WebSocket-Version: 13\r\n");
        }
        StringBuilder out = new StringBuilder();
        if (corsMode == 1) out.append("Access-Control-Allow-Origin: *\r\n");
        else if (corsMode == 2 && origin != null && !origin.isEmpty()) out.append("Access-Control-Allow-Origin: ").append(origin).append("\r\n");
        out.append("Sec-WebSocket-Protocol: sip\r\nUpgrade: websocket\r\nConnection: upgrade\r\nSec-WebSocket-Accept: ")
                .append(accept(key)).append("\r\n");
        return new Handshake(101, "Switching Protocols", out.toString());
    }

    /** base64(SHA-1(key + GUID)), the key taken as received. */
    static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Handshake badRequest(String headers) {
        return new Handshake(400, "Bad Request", headers);
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** Kamailio's str2sint: the leading digits (with a sign), 0 if none. */
    private static int leadingInt(String s) {
        String t = s.trim();
        int i = 0, sign = 1, v = 0;
        if (i < t.length() && (t.charAt(i) == '-' || t.charAt(i) == '+')) sign = t.charAt(i++) == '-' ? -1 : 1;
        for (; i < t.length() && Character.isDigit(t.charAt(i)) && v < 100000; i++) v = v * 10 + (t.charAt(i) - '0');
        return sign * v;
    }
}
