package dev.kemi.tests.auth;

import dev.kemi.tests.auth.DigestPeer.Reply;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The same requests against one proxy running auth.cfg, each step's outcome as a line: status,
 * reason, the script's X-Rc (the auth function's return code) or X-Auth, and the challenge header
 * with the nonce replaced by its length. Differential and wire tests compare these lines.
 */
final class AuthScenario {
    static final String SECRET = "kemi-test-secret-0123456789";
    static final String DOMAIN = "example.org";
    /** Steps whose outcome differs on Kamailio 5.6.3 on purpose (see README). */
    static final String AUTH_INT_STEP = "auth-int response over the body";

    private AuthScenario() {}

    static Map<String, String> run(String localIp, InetSocketAddress proxy) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        try (DigestPeer p = new DigestPeer(localIp, proxy, DOMAIN)) {
            String regUri = "sip:" + DOMAIN;
            // the worker may still be starting its script context: wait longer for the first reply
            p.send(p.request("OPTIONS", "alice", "alice", null, "X-Subscriber: sip:alice@" + DOMAIN), 60_000);
            Reply ch = p.send(p.request("REGISTER", "alice", "alice", null, "X-Qop: auth"), 60_000);
            out.put("REGISTER without credentials", line(ch));
            String nonce = ch.nonce();
            out.put("good password, nc 1", line(p.send(p.request("REGISTER", "alice", "alice", null, "X-Qop: auth",
                    DigestPeer.credentials("Authorization", "alice", DOMAIN, "alice-pw", nonce, "REGISTER", regUri, "auth", "00000001", null)))));
            out.put("the same nc again", line(p.send(p.request("REGISTER", "alice", "alice", null, "X-Qop: auth",
                    DigestPeer.credentials("Authorization", "alice", DOMAIN, "alice-pw", nonce, "REGISTER", regUri, "auth", "00000001", null)))));
            out.put("nc 2", line(p.send(p.request("REGISTER", "alice", "alice", null, "X-Qop: auth",
                    DigestPeer.credentials("Authorization", "alice", DOMAIN, "alice-pw", nonce, "REGISTER", regUri, "auth", "00000002", null)))));
            out.put("wrong password", line(p.send(p.request("REGISTER", "alice", "alice", null, "X-Qop: auth",
                    DigestPeer.credentials("Authorization", "alice", DOMAIN, "not-it", nonce, "REGISTER", regUri, "auth", "00000003", null)))));
            out.put("unknown user", line(p.send(p.request("REGISTER", "mallory", "mallory", null, "X-Qop: auth",
                    DigestPeer.credentials("Authorization", "mallory", DOMAIN, "x", nonce, "REGISTER", regUri, "auth", "00000004", null)))));
            out.put("auth user is not the To user", line(p.send(p.request("REGISTER", "alice", "carol", null, "X-Qop: auth",
                    DigestPeer.credentials("Authorization", "alice", DOMAIN, "alice-pw", nonce, "REGISTER", regUri, "auth", "00000005", null)))));
            out.put("expired nonce", line(p.send(p.request("REGISTER", "alice", "alice", null, "X-Qop: auth",
                    DigestPeer.credentials("Authorization", "alice", DOMAIN, "alice-pw", expiredNonce(), "REGISTER", regUri, "auth", "00000001", null)))));
            out.put("nonce from another secret", line(p.send(p.request("REGISTER", "alice", "alice", null,
                    DigestPeer.credentials("Authorization", "alice", DOMAIN, "alice-pw", nonce.substring(0, 12) + "AAAAAAAAAAAAAAAAAAAA" + nonce.substring(32), "REGISTER", regUri, null, null, null)))));
            out.put("credentials for another realm", line(p.send(p.request("REGISTER", "alice", "alice", null,
                    DigestPeer.credentials("Authorization", "alice", "other.org", "alice-pw", nonce, "REGISTER", regUri, null, null, null)))));
            out.put("malformed credentials", line(p.send(p.request("REGISTER", "alice", "alice", null,
                    "Authorization: Digest username=\"alice\", realm=\"" + DOMAIN + "\", nonce=\"unclosed"))));
            out.put("Basic credentials only", line(p.send(p.request("REGISTER", "alice", "alice", null, "Authorization: Basic YWxpY2U6eA=="))));
            Reply plain = p.send(p.request("REGISTER", "alice", "alice", null));
            out.put("REGISTER without qop", line(plain));
            out.put("response without qop", line(p.send(p.request("REGISTER", "alice", "alice", null,
                    DigestPeer.credentials("Authorization", "alice", DOMAIN, "alice-pw", plain.nonce(), "REGISTER", regUri, null, null, null)))));
            Reply inv = p.send(p.request("INVITE", "alice", "bob", null, "X-Qop: auth"));
            out.put("INVITE without credentials", line(inv));
            out.put("INVITE with proxy credentials", line(p.send(p.request("INVITE", "alice", "bob", null, "X-Qop: auth",
                    DigestPeer.credentials("Proxy-Authorization", "alice", DOMAIN, "alice-pw", inv.nonce(), "INVITE", "sip:bob@" + DOMAIN, "auth", "00000001", null)))));
            out.put("INVITE with WWW credentials", line(p.send(p.request("INVITE", "alice", "bob", null,
                    DigestPeer.credentials("Authorization", "alice", DOMAIN, "alice-pw", inv.nonce(), "INVITE", "sip:bob@" + DOMAIN, "auth", "00000002", null)))));
            out.put("is_subscriber alice", line(p.send(p.request("OPTIONS", "alice", "alice", null, "X-Subscriber: sip:alice@" + DOMAIN))));
            out.put("is_subscriber nobody", line(p.send(p.request("OPTIONS", "alice", "alice", null, "X-Subscriber: sip:nobody@" + DOMAIN))));
            Reply ai = p.send(p.request("REGISTER", "alice", "alice", "hello", "X-Qop: auth-int"));
            out.put("REGISTER asking for auth-int", line(ai));
            out.put(AUTH_INT_STEP, line(p.send(p.request("REGISTER", "alice", "alice", "hello", "X-Qop: auth-int",
                    DigestPeer.credentials("Authorization", "alice", DOMAIN, "alice-pw", ai.nonce(), "REGISTER", regUri, "auth-int", "00000001", "hello")))));
        }
        return out;
    }

    /** With modparam("auth", "algorithm", "SHA-256"). */
    static Map<String, String> runSha256(String localIp, InetSocketAddress proxy) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        try (DigestPeer p = new DigestPeer(localIp, proxy, DOMAIN)) {
            String regUri = "sip:" + DOMAIN;
            p.send(p.request("OPTIONS", "alice", "alice", null, "X-Subscriber: sip:alice@" + DOMAIN), 60_000);
            Reply ch = p.send(p.request("REGISTER", "alice", "alice", null, "X-Qop: auth"));
            out.put("SHA-256 challenge", line(ch));
            String n = ch.nonce();
            out.put("SHA-256 response", line(p.send(p.request("REGISTER", "alice", "alice", null, "X-Qop: auth",
                    DigestPeer.credentials("SHA-256", "Authorization", "alice", DOMAIN, "alice-pw", n, "REGISTER", regUri, "auth", "00000001", null)))));
            out.put("SHA-256 response, wrong password", line(p.send(p.request("REGISTER", "alice", "alice", null, "X-Qop: auth",
                    DigestPeer.credentials("SHA-256", "Authorization", "alice", DOMAIN, "nope", n, "REGISTER", regUri, "auth", "00000002", null)))));
            out.put("MD5 response to a SHA-256 challenge", line(p.send(p.request("REGISTER", "alice", "alice", null, "X-Qop: auth",
                    DigestPeer.credentials("MD5", "Authorization", "alice", DOMAIN, "alice-pw", n, "REGISTER", regUri, "auth", "00000003", null)))));
        }
        return out;
    }

    /** The outcome line: status, reason, X-Rc, X-Auth, the challenge with the nonce as its length. */
    static String line(Reply r) {
        StringBuilder b = new StringBuilder().append(r.status()).append(' ').append(r.reason());
        if (r.header("X-Rc") != null) b.append(" | rc ").append(r.header("X-Rc"));
        if (r.header("X-Auth") != null) b.append(" | ").append(r.header("X-Auth"));
        if (r.header("X-Creds") != null) b.append(" | ").append(r.header("X-Creds"));
        String name = r.header("WWW-Authenticate") != null ? "WWW-Authenticate" : r.header("Proxy-Authenticate") != null ? "Proxy-Authenticate" : null;
        if (name != null) {
            String h = r.header(name);
            b.append(" | ").append(name).append(": ").append(h.replaceAll("nonce=\"([^\"]*)\"", "nonce=<" + r.nonce().length() + ">"));
        }
        return b.toString();
    }

    /** A nonce as the auth module makes it for this secret, already expired (with nonce_count's nid and pool 0). */
    static String expiredNonce() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        byte[] bin = new byte[29];
        ByteBuffer.wrap(bin).putInt((int) now - 5).putInt((int) now);
        ByteBuffer.wrap(bin, 24, 5).putInt(12345).put((byte) 128);
        MessageDigest md = MessageDigest.getInstance("MD5");
        md.update(bin, 0, 8);
        md.update(bin, 24, 5);
        md.update(SECRET.getBytes(StandardCharsets.US_ASCII));
        System.arraycopy(md.digest(), 0, bin, 8, 16);
        return Base64.getEncoder().encodeToString(bin);
    }
}
