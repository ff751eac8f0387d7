package dev.kemi.runtime.modules.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** RFC 2617 / RFC 7616 H(A1) and request-digest, MD5 or SHA-256 (the auth "algorithm" modparam). */
public enum DigestHash {
    MD5("MD5", 32), SHA256("SHA-256", 64);

    private final String jcaName;
    /** Length of a hex digest: responses of another length are refused. */
    public final int hexLength;

    DigestHash(String jcaName, int hexLength) {
        this.jcaName = jcaName;
        this.hexLength = hexLength;
    }

    private MessageDigest digest() {
        try {
            return MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lower-case hex of the hash of the parts joined by ':'. */
    public String hex(String... parts) {
        MessageDigest d = digest();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) d.update((byte) ':');
            d.update(parts[i].getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(d.digest());
    }

    public String hex(byte[] data) {
        return HexFormat.of().formatHex(digest().digest(data));
    }

    /** H(username:realm:password). */
    public String ha1(String username, String realm, String password) {
        return hex(username, realm, password);
    }

    /**
     * The request-digest. method null = empty (rspauth); bodyHash is H(entity-body), used with
     * qop=auth-int only.
     */
    public String response(String ha1, String nonce, String nc, String cnonce, String qop, boolean authInt,
            String method, String uri, String bodyHash) {
        String ha2 = authInt ? hex(method == null ? "" : method, uri, bodyHash) : hex(method == null ? "" : method, uri);
        if (qop != null && !qop.isEmpty()) return hex(ha1, nonce, str(nc), str(cnonce), qop, ha2);
        return hex(ha1, nonce, ha2);
    }

    private static String str(String s) {
        return s == null ? "" : s;
    }
}
