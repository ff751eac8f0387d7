package dev.kemi.tests.nathelper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.tests.Kamailio;
import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.db.TestDatabases;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * NAT simulated on loopback: user agents send from one 127.0.60.x address and port while their
 * Via, Contact and SDP advertise 127.0.60.99:5099. The same cfg runs on Kamailio 5.6.3 and on
 * us; what nat_uac_test detects, what the Contact/SDP/R-URI rewrites put on the wire and the
 * keepalives a NATed registration gets must be the same.
 */
class NathelperVsKamailioTest {
    private static final String KAM_IP = "127.0.60.10", OUR_IP = "127.0.60.11", KAM_JS_IP = "127.0.60.12", OUR_JS_IP = "127.0.60.13";
    private static final String NAT = "127.0.60.99:5099";
    private static final Duration WAIT = Duration.ofSeconds(5);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"native", "js"})
    void sameDetectionRewritesAndPings(String flavour) throws Exception {
        TestDatabases.requirePeer(Kamailio.installed(), "kamailio 5.6.3 is not installed");
        boolean js = flavour.equals("js");
        String kamIp = js ? KAM_JS_IP : KAM_IP, ourIp = js ? OUR_JS_IP : OUR_IP;
        List<String> kam, ours;
        Path dir = Files.createTempDirectory("kemi-nh-kamailio");
        Path cfg = dir.resolve("kamailio.cfg");
        Files.writeString(cfg, NatCfg.cfg(kamIp, js).replace("{dir}", dir.toString()));
        Files.writeString(dir.resolve("nat.js"), NatCfg.JS);
        try (Kamailio k = Kamailio.startBound(cfg, dir, List.of(new InetSocketAddress(kamIp, 5060)))) {
            kam = run(kamIp, js ? "40" : "20");
            assertTrue(k.isAlive(), k.log());
        }
        try (ProxyUnderTest p = ProxyUnderTest.start(NatCfg.cfg(ourIp, js), java.util.Map.of("nat.js", NatCfg.JS))) {
            ours = run(ourIp, js ? "50" : "30");
        }
        // what Kamailio does, spelled out, then ours line by line
        assertEquals("nat 0100100110", kam.get(0), "Kamailio: Via address/port, Contact port, SDP c= differ from the source");
        assertEquals("nat 0000000000", kam.get(1));
        assertEquals("Contact: <sip:alice@UA>", kam.get(2));
        assertEquals("Contact: <sip:alice@" + NAT + ";alias=UAIP~UAPORT~1>", kam.get(3));
        assertEquals("v=0\r\no=- 1 1 IN IP4 UAIP\r\ns=-\r\nc=IN IP4 UAIP\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=rtcp:4001 IN IP4 UAIP"
                + "\r\na=direction:active\r\na=oldmediaip:127.0.60.99\r\na=oldmediaip:127.0.60.99\r\na=oldmediaip:127.0.60.99\r\n", kam.get(6));
        assertEquals("INFO sip:bob@" + NAT + " SIP/2.0", kam.get(8));
        assertEquals("alias sip:127.0.60.98:5098;transport=tcp", kam.get(9));
        assertEquals("Contact: <sip:bob@" + NAT + ";alias=CALLEEIP~CALLEEPORT~1>", kam.get(13), "Kamailio's alias on the reply");
        assertEquals("<sip:dave@UA>;expires=600", kam.get(10));
        assertTrue(kam.get(12).startsWith("OPTIONS sip:alice@" + NAT + " SIP/2.0 | Via: SIP/2.0/UDP PROXY:5060;"), kam.get(12));
        for (int i = 0; i < Math.max(kam.size(), ours.size()); i++) {
            assertEquals(i < kam.size() ? kam.get(i) : null, i < ours.size() ? ours.get(i) : null, "step " + i + "\nKamailio: " + kam + "\nours:     " + ours);
        }
    }

    /** The scenarios against one proxy; each result normalised (addresses replaced by names). */
    private static List<String> run(String proxyIp, String block) throws IOException {
        InetSocketAddress proxy = new InetSocketAddress(proxyIp, 5060);
        List<String> out = new ArrayList<>();
        try (Ua ua = new Ua("127.0.60." + block); Ua callee = new Ua("127.0.60." + (Integer.parseInt(block) + 1));
             Ua pinged = new Ua("127.0.60." + (Integer.parseInt(block) + 2)); Ua udpPinged = new Ua("127.0.60." + (Integer.parseInt(block) + 3))) {
            String uaIp = ua.hostPort().split(":")[0], uaPort = ua.hostPort().split(":")[1];
            java.util.function.UnaryOperator<String> norm = s -> s == null ? null : s.replace(ua.hostPort(), "UA").replace(callee.hostPort(), "CALLEE")
                    .replace(uaIp + "~" + uaPort, "UAIP~UAPORT")
                    .replace(callee.hostPort().replace(':', '~'), "CALLEEIP~CALLEEPORT").replace(proxyIp, "PROXY").replace(uaIp, "UAIP");
            String sdpNat = sdp("127.0.60.99");

            // 0, 1: nat_uac_test bits, NATed and not
            out.add(reason(ua, proxy, request("MESSAGE", "sip:bob@kemi.test", NAT, "<sip:alice@" + NAT + ">", "m1", null, sdpNat)));
            out.add(reason(ua, proxy, request("MESSAGE", "sip:bob@kemi.test", ua.hostPort(), "<sip:alice@" + ua.hostPort() + ">", "m2", null,
                    sdp(uaIp))));
            // 2-7: rewrites, seen by the next hop
            String next = "sip:" + callee.hostPort();
            out.add(norm.apply("Contact: " + relayed(ua, callee, proxy, request("INFO", "sip:bob@kemi.test", NAT, "<sip:alice@" + NAT + ">", "i-fix",
                    "X-Op: fix\r\nX-Next: " + next, null), "Contact")));
            out.add(norm.apply("Contact: " + relayed(ua, callee, proxy, request("INFO", "sip:bob@kemi.test", NAT, "<sip:alice@" + NAT + ">", "i-set",
                    "X-Op: set\r\nX-Next: " + next, null), "Contact")));
            out.add(norm.apply("Contact: " + relayed(ua, callee, proxy, request("INFO", "sip:bob@kemi.test", NAT, "sip:alice@" + NAT + ";ob", "i-add",
                    "X-Op: add\r\nX-Next: " + next, null), "Contact")));
            out.add(norm.apply("Contact: " + relayed(ua, callee, proxy, request("INFO", "sip:bob@kemi.test", NAT, "<sip:alice@" + NAT + ">;expires=60", "i-rcv",
                    "X-Op: rcv\r\nX-Next: " + next, null), "Contact")));
            out.add(norm.apply(relayed(ua, callee, proxy, request("INFO", "sip:bob@kemi.test", NAT, "<sip:alice@" + NAT + ">", "i-sdp",
                    "X-Op: sdp\r\nX-Next: " + next, sdpNat), null)));
            out.add(norm.apply("Contact: " + relayed(ua, callee, proxy, request("INFO", "sip:bob@kemi.test", ua.hostPort(), "<sip:alice@" + ua.hostPort() + ">", "i-add2",
                    "X-Op: add\r\nX-Next: " + next, null), "Contact")));
            // 8: the alias in the R-URI is where the request goes
            String cIp = callee.hostPort().split(":")[0], cPort = callee.hostPort().split(":")[1];
            String viaAlias = relayed(ua, callee, proxy, request("INFO", "sip:bob@" + NAT + ";alias=" + cIp + "~" + cPort + "~1", NAT,
                    "<sip:alice@" + NAT + ">", "i-ruri", "X-Op: ruri", null), "");
            out.add(norm.apply(viaAlias));

            // 9: set_alias_to_pv
            out.add(reason(ua, proxy, request("INFO", "sip:bob@kemi.test", NAT, "<sip:alice@" + NAT + ";alias=127.0.60.98~5098~2>", "i-pv",
                    "X-Op: pv", null)));

            // 10: save() after fix_nated_contact() stores the rewritten Contact
            ua.send(proxy, request("REGISTER", "sip:kemi.test", NAT, "<sip:dave@" + NAT + ">", "r0", "Expires: 600\r\nX-Op: fix", null)
                    .replace("To: <sip:bob@kemi.test>", "To: <sip:dave@kemi.test>"));
            String fixed = ua.await("SIP/2.0 200", WAIT);
            assertNotNull(fixed, "REGISTER answered by " + proxyIp);
            out.add(norm.apply(Ua.header(fixed, "Contact")));

            // 11, 12: a NATed registration gets SIP pings at its received address
            String reg = request("REGISTER", "sip:kemi.test", NAT, "<sip:alice@" + NAT + ">", "r1", "Expires: 600", null)
                    .replace("From: <sip:alice@kemi.test>", "From: <sip:alice@kemi.test>").replace("To: <sip:bob@kemi.test>", "To: <sip:alice@kemi.test>");
            pinged.send(proxy, reg);
            String regOk = pinged.await("SIP/2.0 200", WAIT);
            assertNotNull(regOk, "REGISTER answered by " + proxyIp);
            out.add(Ua.header(regOk, "Contact").replace(pinged.hostPort(), "PINGED"));
            String ping = pinged.await("OPTIONS ", WAIT);
            assertNotNull(ping, "a keepalive OPTIONS reached the received address, from " + proxyIp);
            out.add(pingShape(ping, proxyIp));
            pinged.send(proxy, Ua.ok(ping)); // absorbed by the proxy

            // 13: set_contact_alias() on a reply, in a tm onreply route
            ua.send(proxy, request("INFO", "sip:bob@kemi.test", ua.hostPort(), "<sip:alice@" + ua.hostPort() + ">", "i-rpl",
                    "X-Op: rpl\r\nX-Next: " + next, null));
            String inRpl = null;
            for (long d = System.nanoTime() + WAIT.toNanos(); inRpl == null && System.nanoTime() < d; ) {
                String m = callee.receive(Duration.ofMillis(500));
                if (m != null && "i-rpl".equals(Ua.header(m, "Call-ID")) && !m.startsWith("SIP/2.0")) inRpl = m;
            }
            assertNotNull(inRpl, "relayed i-rpl");
            callee.send(proxy, Ua.ok(inRpl).replace("Content-Length: 0", "Contact: <sip:bob@" + NAT + ">\r\nContent-Length: 0"));
            String rpl = ua.await("SIP/2.0 200", WAIT);
            while (rpl != null && !"i-rpl".equals(Ua.header(rpl, "Call-ID"))) rpl = ua.await("SIP/2.0 200", WAIT);
            assertNotNull(rpl, "the 200 reached the caller");
            out.add(norm.apply("Contact: " + Ua.header(rpl, "Contact")));

            // 14: without the sipping flag, the 4-byte UDP keepalive
            String reg2 = request("REGISTER", "sip:kemi.test", NAT, "<sip:carol@" + NAT + ">", "r2", "Expires: 600\r\nX-Ping: udp", null)
                    .replace("To: <sip:bob@kemi.test>", "To: <sip:carol@kemi.test>");
            udpPinged.send(proxy, reg2);
            assertNotNull(udpPinged.await("SIP/2.0 200", WAIT));
            String ka = udpPinged.await("\0", WAIT);
            assertNotNull(ka, "a UDP keepalive reached the received address, from " + proxyIp);
            out.add("keepalive " + ka.length() + " bytes, all zero: " + ka.chars().allMatch(c -> c == 0));
        }
        return out;
    }

    private static String sdp(String ip) {
        return "v=0\r\no=- 1 1 IN IP4 " + ip + "\r\ns=-\r\nc=IN IP4 " + ip + "\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=rtcp:4001 IN IP4 " + ip + "\r\n";
    }

    private static String request(String method, String ruri, String viaHostPort, String contact, String callId, String extra, String sdp) {
        String body = sdp == null ? "" : sdp;
        return method + " " + ruri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + viaHostPort + ";branch=z9hG4bK-" + callId + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:alice@kemi.test>;tag=a-" + callId + "\r\n"
                + "To: <sip:bob@kemi.test>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + "Contact: " + contact + "\r\n"
                + (extra == null ? "" : extra + "\r\n")
                + (sdp == null ? "" : "Content-Type: application/sdp\r\n")
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    /** The reason phrase of the reply to a MESSAGE. */
    private static String reason(Ua ua, InetSocketAddress proxy, String msg) {
        ua.send(proxy, msg);
        // a minute: the first request compiles a KEMI script
        String r = ua.await("SIP/2.0 200", Duration.ofSeconds(60));
        assertNotNull(r, "MESSAGE answered");
        String first = r.substring(0, r.indexOf("\r\n"));
        return first.substring("SIP/2.0 200 ".length());
    }

    /** Sends through the proxy; the callee answers 200; returns a header of what it got ("" the request line, null the body). */
    private static String relayed(Ua ua, Ua callee, InetSocketAddress proxy, String msg, String header) {
        ua.send(proxy, msg);
        String callId = Ua.header(msg, "Call-ID");
        String got = null;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (got == null && System.nanoTime() < deadline) {
            String m = callee.receive(Duration.ofMillis(500));
            if (m != null && callId.equals(Ua.header(m, "Call-ID")) && !m.startsWith("SIP/2.0")) got = m;
        }
        assertNotNull(got, "relayed " + callId);
        callee.send(proxy, Ua.ok(got));
        ua.await("SIP/2.0 200", WAIT);
        if (header == null) return Ua.body(got);
        if (header.isEmpty()) return got.substring(0, got.indexOf("\r\n"));
        return Ua.header(got, header);
    }

    /** The keepalive's request line and headers with the random parts replaced by their form. */
    private static String pingShape(String ping, String proxyIp) {
        StringBuilder b = new StringBuilder(ping.substring(0, ping.indexOf("\r\n")));
        b.append(" | Via: ").append(Ua.header(ping, "Via").replace(proxyIp, "PROXY").replaceAll("branch=z9hG4bK\\d{7}$", "branch=z9hG4bK#######"));
        b.append(" | From: ").append(Ua.header(ping, "From").replaceAll(";tag=.+-[0-9a-f]+-[0-9a-f]+$", ";tag=RUID-HASH-N"));
        b.append(" | To: ").append(Ua.header(ping, "To"));
        b.append(" | Call-ID: ").append(Ua.header(ping, "Call-ID").replaceAll("^[0-9a-f]+-[0-9a-f]+-[0-9a-f]+@", "X-N-T@").replace(proxyIp, "PROXY"));
        b.append(" | CSeq: ").append(Ua.header(ping, "CSeq"));
        b.append(" | Content-Length: ").append(Ua.header(ping, "Content-Length"));
        return b.toString();
    }
}
