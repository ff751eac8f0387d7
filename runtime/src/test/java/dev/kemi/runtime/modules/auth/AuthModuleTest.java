package dev.kemi.runtime.modules.auth;

import static dev.kemi.runtime.modules.TestSupport.ctx;
import static dev.kemi.runtime.modules.TestSupport.socket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.api.FunctionTable;
import dev.kemi.api.KemiFunction;
import dev.kemi.api.PvSpec;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.TestSupport.FakeServices;
import dev.kemi.runtime.modules.pv.AvpStore;
import dev.kemi.runtime.modules.sl.SlModule;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.transport.Protocol;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The auth module against hand-computed digests (RFC 2617 arithmetic written out here, not reused). */
class AuthModuleTest {
    private static final String SECRET = "0123456789abcdef";
    private final FakeServices svc = new FakeServices(socket(Protocol.UDP, "127.0.15.1", 5060));

    private AuthModule auth(String... params) {
        AuthModule a = new AuthModule();
        a.secret(SECRET);
        for (int i = 0; i < params.length; i += 2) {
            String v = params[i + 1];
            switch (params[i]) {
                case "nonce_count" -> a.nonceCount(Integer.parseInt(v));
                case "one_time_nonce" -> a.oneTimeNonce(Integer.parseInt(v));
                case "algorithm" -> a.algorithm(v);
                case "auth_checks_register" -> a.authChecksRegister(Integer.parseInt(v));
                case "realm_prefix" -> a.realmPrefix(v);
                case "add_authinfo_hdr" -> a.addAuthinfoHdr(Integer.parseInt(v));
                default -> throw new IllegalArgumentException(params[i]);
            }
        }
        svc.functions = FunctionTable.build(List.of(new SlModule(), a));
        a.init(svc);
        return a;
    }

    private static String register(String... extra) {
        StringBuilder b = new StringBuilder()
                .append("REGISTER sip:127.0.15.1 SIP/2.0\n")
                .append("Via: SIP/2.0/UDP 127.0.15.2:5070;branch=z9hG4bK-r1;rport\n")
                .append("From: <sip:alice@127.0.15.1>;tag=f1\n")
                .append("To: <sip:alice@127.0.15.1>\n")
                .append("Call-ID: reg-1@127.0.15.2\n")
                .append("CSeq: 1 REGISTER\n")
                .append("Contact: <sip:alice@127.0.15.2:5070>\n");
        for (String e : extra) b.append(e).append('\n');
        return b.append("Content-Length: 0\n\n").toString();
    }

    private static String hex(String alg, String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(alg).digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    /** Authorization for REGISTER with the given password; qop auth with nc when nc != null. */
    private static String authorization(String nonce, String password, String nc, String alg) throws Exception {
        String ha1 = hex(alg, "alice:127.0.15.1:" + password);
        String ha2 = hex(alg, "REGISTER:sip:127.0.15.1");
        String resp = nc == null ? hex(alg, ha1 + ":" + nonce + ":" + ha2) : hex(alg, ha1 + ":" + nonce + ":" + nc + ":c0ffee:auth:" + ha2);
        return "Authorization: Digest username=\"alice\", realm=\"127.0.15.1\", nonce=\"" + nonce
                + "\", uri=\"sip:127.0.15.1\", response=\"" + resp + "\"" + (nc == null ? "" : ", qop=auth, nc=" + nc + ", cnonce=\"c0ffee\"");
    }

    private String challengeNonce(AuthModule a, int flags) {
        MessageContext c = ctx(svc, register());
        assertEquals(1, a.auth_challenge(c, "127.0.15.1", flags));
        SipMessage r = svc.last().parsed();
        assertEquals(401, r.status());
        Matcher m = Pattern.compile("nonce=\"([^\"]+)\"").matcher(r.header("WWW-Authenticate"));
        assertTrue(m.find());
        return m.group(1);
    }

    @Test
    void challengeIsKamailiosHeaderAndNonce() throws Exception {
        AuthModule a = auth();
        MessageContext c = ctx(svc, register());
        assertEquals(1, a.auth_challenge(c, "127.0.15.1", 1));
        String text = svc.last().text();
        assertTrue(text.startsWith("SIP/2.0 401 Unauthorized\r\n"), text);
        Matcher m = Pattern.compile("\r\nWWW-Authenticate: Digest realm=\"127\\.0\\.15\\.1\", nonce=\"([A-Za-z0-9+/=]{32})\", qop=\"auth\"\r\n").matcher(text);
        assertTrue(m.find(), text);
        byte[] bin = Base64.getDecoder().decode(m.group(1));
        ByteBuffer bb = ByteBuffer.wrap(bin);
        assertEquals(300, bb.getInt(0) - bb.getInt(4));
        MessageDigest md = MessageDigest.getInstance("MD5");
        md.update(bin, 0, 8);
        md.update(SECRET.getBytes(StandardCharsets.US_ASCII));
        assertEquals(HexFormat.of().formatHex(md.digest()), HexFormat.of().formatHex(bin, 8, 24));
        // INVITE: 407 with Proxy-Authenticate, auth-int and stale
        MessageContext inv = ctx(svc, dev.kemi.runtime.modules.TestSupport.invite());
        assertEquals(1, a.auth_challenge(inv, "127.0.15.1", 2 | 16));
        String t2 = svc.last().text();
        assertTrue(t2.startsWith("SIP/2.0 407 Proxy Authentication Required\r\n"), t2);
        assertTrue(Pattern.compile("\r\nProxy-Authenticate: Digest realm=\"127\\.0\\.15\\.1\", nonce=\"[^\"]{32}\", qop=\"auth-int\", stale=true\r\n").matcher(t2).find(), t2);
    }

    @Test
    void goodAndWrongPasswordsAndCredentialPvs() throws Exception {
        AuthModule a = auth();
        String nonce = challengeNonce(a, 0);
        MessageContext ok = ctx(svc, register(authorization(nonce, "secret", null, "MD5")));
        assertEquals(1, a.pv_www_authenticate(ok, "127.0.15.1", "secret", 0));
        assertEquals("alice", a.resolvePv(PvSpec.parse("$au")).get(ok));
        assertEquals("127.0.15.1", a.resolvePv(PvSpec.parse("$ar")).get(ok));
        assertEquals("sip:127.0.15.1", a.resolvePv(PvSpec.parse("$adu")).get(ok));
        assertEquals("", a.resolvePv(PvSpec.parse("$ad")).get(ok));
        assertEquals("alice@127.0.15.1", a.resolvePv(PvSpec.parse("$Au")).get(ok));
        assertEquals(1, a.consume_credentials(ok));
        assertFalse(new String(ok.msg().toBytes(), StandardCharsets.UTF_8).contains("Authorization"));
        MessageContext bad = ctx(svc, register(authorization(nonce, "wrong", null, "MD5")));
        assertEquals(-2, a.pv_www_authenticate(bad, "127.0.15.1", "secret", 0));
        MessageContext none = ctx(svc, register());
        assertEquals(-5, a.pv_www_authenticate(none, "127.0.15.1", "secret", 2));
        assertTrue(((String) AvpStore.of(none).get("digest_challenge", 0)).startsWith("WWW-Authenticate: Digest realm=\"127.0.15.1\", nonce=\""));
        assertNull(a.resolvePv(PvSpec.parse("$au")).get(none));
        assertEquals(-1, a.consume_credentials(none));
        // HA1 given instead of the password (flags 1)
        MessageContext ha1 = ctx(svc, register(authorization(nonce, "secret", null, "MD5")));
        assertEquals(1, a.pv_www_authenticate(ha1, "127.0.15.1", hex("MD5", "alice:127.0.15.1:secret"), 1));
    }

    @Test
    void staleAndForgedNonces() throws Exception {
        AuthModule a = auth();
        long now = System.currentTimeMillis() / 1000;
        byte[] bin = new byte[24];
        ByteBuffer.wrap(bin).putInt((int) now - 1).putInt((int) now + 1);
        MessageDigest md = MessageDigest.getInstance("MD5");
        md.update(bin, 0, 8);
        md.update(SECRET.getBytes(StandardCharsets.US_ASCII));
        System.arraycopy(md.digest(), 0, bin, 8, 16);
        String expired = Base64.getEncoder().encodeToString(bin);
        assertEquals(-4, a.pv_www_authenticate(ctx(svc, register(authorization(expired, "secret", null, "MD5"))), "127.0.15.1", "secret", 0));
        bin[10] ^= 1;
        String forged = Base64.getEncoder().encodeToString(bin);
        assertEquals(-1, a.pv_www_authenticate(ctx(svc, register(authorization(forged, "secret", null, "MD5"))), "127.0.15.1", "secret", 0));
    }

    @Test
    void nonceCountReplayIsStale() throws Exception {
        AuthModule a = auth("nonce_count", "1");
        String nonce = challengeNonce(a, 1);
        assertEquals(40, nonce.length(), "24 bytes + nid + pf");
        assertEquals(1, a.pv_www_authenticate(ctx(svc, register(authorization(nonce, "secret", "00000001", "MD5"))), "127.0.15.1", "secret", 0));
        assertEquals(-4, a.pv_www_authenticate(ctx(svc, register(authorization(nonce, "secret", "00000001", "MD5"))), "127.0.15.1", "secret", 0));
        assertEquals(1, a.pv_www_authenticate(ctx(svc, register(authorization(nonce, "secret", "00000002", "MD5"))), "127.0.15.1", "secret", 0));
        assertEquals(-1, a.pv_www_authenticate(ctx(svc, register(authorization(nonce, "secret", "0002", "MD5"))), "127.0.15.1", "secret", 0));
    }

    @Test
    void oneTimeNonceIsUsedOnce() throws Exception {
        AuthModule a = auth("one_time_nonce", "1");
        String nonce = challengeNonce(a, 0);
        assertEquals(1, a.pv_www_authenticate(ctx(svc, register(authorization(nonce, "secret", null, "MD5"))), "127.0.15.1", "secret", 0));
        assertEquals(-6, a.pv_www_authenticate(ctx(svc, register(authorization(nonce, "secret", null, "MD5"))), "127.0.15.1", "secret", 0));
    }

    @Test
    void sha256AndExtraChecksAndAuthInfo() throws Exception {
        AuthModule a = auth("algorithm", "SHA-256", "auth_checks_register", "2", "add_authinfo_hdr", "1");
        MessageContext c = ctx(svc, register());
        a.auth_challenge(c, "127.0.15.1", 1);
        String h = svc.last().parsed().header("WWW-Authenticate");
        assertTrue(h.endsWith("\", qop=\"auth\", algorithm=SHA-256"), h);
        Matcher m = Pattern.compile("nonce=\"([^\"]+)\"").matcher(h);
        assertTrue(m.find());
        String nonce = m.group(1);
        assertEquals(56, nonce.length(), "40 bytes: a second MD5 over the Call-ID");
        MessageContext ok = ctx(svc, register(authorization(nonce, "secret", "00000001", "SHA-256")));
        assertEquals(1, a.pv_www_authenticate(ok, "127.0.15.1", "secret", 0));
        a.auth_challenge(ok, "127.0.15.1", 0); // any reply now carries Authentication-Info
        assertTrue(svc.last().text().contains("\r\nAuthentication-Info: nextnonce=\"" + nonce + "\", qop=auth, rspauth=\""), svc.last().text());
        String otherCall = register(authorization(nonce, "secret", "00000001", "SHA-256")).replace("reg-1@", "reg-2@");
        assertEquals(-4, a.pv_www_authenticate(ctx(svc, otherCall), "127.0.15.1", "secret", 0));
        assertEquals(-1, a.pv_www_authenticate(ctx(svc, register(authorization(nonce, "secret", "00000001", "MD5"))), "127.0.15.1", "secret", 0));
    }

    @Test
    void authCheckComparesTheAuthUserWithToAndFrom() throws Exception {
        AuthModule a = auth();
        String nonce = challengeNonce(a, 0);
        String req = register(authorization(nonce, "secret", null, "MD5")).replace("To: <sip:alice@", "To: <sip:bob@");
        assertEquals(-8, a.pv_auth_check(ctx(svc, req), "127.0.15.1", "secret", 0, 1));
        assertEquals(1, a.pv_auth_check(ctx(svc, req), "127.0.15.1", "secret", 0, 0));
        assertEquals(1, a.pv_auth_check(ctx(svc, register().replace("REGISTER sip", "ACK sip").replace("1 REGISTER", "1 ACK")), "127.0.15.1", "secret", 0, 1));
    }

    @Test
    void realmPrefixAndGetWwwAuthenticate() throws Exception {
        AuthModule a = auth("realm_prefix", "sip.");
        a.auth_challenge(ctx(svc, register()), "sip.127.0.15.1", 0);
        assertTrue(svc.last().parsed().header("WWW-Authenticate").startsWith("Digest realm=\"127.0.15.1\", nonce=\""));
        MessageContext c = ctx(svc, register());
        assertEquals(1, a.auth_get_www_authenticate(c, "example.org", 1, "$avp(wa)"));
        assertTrue(((String) AvpStore.of(c).get("wa", 0)).matches("WWW-Authenticate: Digest realm=\"example.org\", nonce=\"[^\"]{32}\", qop=\"auth\"\r\n"));
    }

    @Test
    void kemiExportsAreKamailios() throws Exception {
        AuthModule a = auth();
        Set<String> ours = new TreeSet<>();
        for (KemiFunction f : FunctionTable.build(List.of(a)).all()) {
            if (f.inKemi()) ours.add(f.qualifiedName() + "(" + f.paramList() + ") -> " + f.returns().apiName());
        }
        // auth's entries of Kamailio 5.6.3's sr_kemi_auth_exports
        Set<String> ref = new TreeSet<>(List.of("KSR.auth.consume_credentials(none) -> int", "KSR.auth.auth_challenge(str, int) -> int",
                "KSR.auth.pv_auth_check(str, str, int, int) -> int", "KSR.auth.has_credentials(str) -> int"));
        assertEquals(ref, ours);
    }
}
