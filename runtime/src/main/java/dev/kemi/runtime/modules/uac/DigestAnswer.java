package dev.kemi.runtime.modules.uac;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Authorization / Proxy-Authorization header uac builds for a challenge (RFC 2617 MD5, qop
 * auth), field for field as Kamailio 5.6.3's build_authorization_hdr: nc is always 00000001
 * and the cnonce is Kamailio's core hash of the nonce, in decimal.
 */
final class DigestAnswer {
    private DigestAnswer() {}

    /**
     * @param code 401 (Authorization) or 407 (Proxy-Authorization)
     * @param ha1Password the password is already HA1 (uac_auth_mode(1), $uac_req flags 1)
     * @return the header line with its CRLF, or null for a qop other than auth
     */
    static String header(int code, String method, String uri, String user, String realm, String password,
                         boolean ha1Password, Challenge c) {
        // a qop without "auth" (Kamailio 5.6.3 crashes on it): nothing we can answer
        if (c.qop() != null && !c.qop().isEmpty() && !c.qopAuth()) return null;
        String ha1 = ha1Password ? password.substring(0, Math.min(32, password.length())) : md5(user + ":" + realm + ":" + password);
        String ha2 = md5(method + ":" + uri);
        String cnonce = null;
        String response;
        if (c.qopAuth()) {
            cnonce = Integer.toUnsignedString(hash1(c.nonce()));
            int comma = c.qop().indexOf(',');
            String qop = comma < 0 ? c.qop() : c.qop().substring(0, comma);
            response = md5(ha1 + ":" + c.nonce() + ":00000001:" + cnonce + ":" + qop + ":" + ha2);
        } else {
            response = md5(ha1 + ":" + c.nonce() + ":" + ha2);
        }
        StringBuilder b = new StringBuilder(256).append(code == 401 ? "Authorization: Digest " : "Proxy-Authorization: Digest ");
        b.append("username=\"").append(user).append("\", realm=\"").append(realm).append("\", nonce=\"").append(c.nonce())
                .append("\", uri=\"").append(uri);
        if (c.opaque() != null && !c.opaque().isEmpty()) b.append("\", opaque=\"").append(c.opaque());
        if (c.qopAuth()) b.append("\", qop=auth, nc=00000001, cnonce=\"").append(cnonce);
        b.append("\", response=\"").append(response).append("\", algorithm=MD5\r\n");
        return b.toString();
    }

    static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.ISO_8859_1)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Kamailio's get_hash1_raw (core/hashes.h), over the bytes as signed chars as the C code reads them. */
    static int hash1(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        int h = 0, v, p = 0;
        for (; p <= b.length - 4; p += 4) {
            v = (b[p] << 24) + (b[p + 1] << 16) + (b[p + 2] << 8) + b[p + 3];
            h += v ^ (v >>> 3);
        }
        v = switch (b.length - p) {
            case 3 -> (b[p] << 16) + (b[p + 1] << 8) + b[p + 2];
            case 2 -> (b[p] << 8) + b[p + 1];
            case 1 -> b[p];
            default -> 0;
        };
        h += v ^ (v >>> 3);
        return (h + (h >>> 11)) + ((h >>> 13) + (h >>> 23));
    }
}
