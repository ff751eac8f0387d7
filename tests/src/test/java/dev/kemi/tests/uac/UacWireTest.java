package dev.kemi.tests.uac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.tests.Kamailio;
import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.SipWire;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * uac on the wire, the same cfg (native, and the same logic in JavaScript) run by Kemi Proxy and
 * by Kamailio 5.6.3: uac_replace_from as the callee sees it, its restore in the reply and in the
 * callee's BYE (and in the BYE's reply), and uac_auth answering an upstream's 407 in
 * failure_route. Kamailio runs after Kemi Proxy and must put the same bytes on the wire.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(UacWireTest.Front.class)
class UacWireTest {
    enum Front {
        NATIVE(false, false), JS(false, true), KAMAILIO_NATIVE(true, false), KAMAILIO_JS(true, true);

        final boolean kamailio, js;

        Front(boolean kamailio, boolean js) {
            this.kamailio = kamailio;
            this.js = js;
        }

        String twin() {
            return js ? "JS" : "NATIVE";
        }
    }

    private static final String PASSWD = "s3cr3t";
    /** What Kemi Proxy put on the wire, by front-end and item, for the Kamailio run to compare with. */
    private static final Map<String, String> SEEN = new ConcurrentHashMap<>();
    private static AutoCloseable proxy;
    private static InetSocketAddress address;

    @Parameter
    Front front;

    static String cfg(String ip, boolean js) {
        return """
                listen=udp:%s:5060
                children=1
                auto_aliases=no
                loadmodule "tm.so"
                loadmodule "sl.so"
                loadmodule "rr.so"
                loadmodule "pv.so"
                loadmodule "uac.so"
                modparam("tm", "fr_timer", 1000)
                modparam("uac", "restore_mode", "auto")
                modparam("uac", "restore_passwd", "%s")
                modparam("uac", "credential", "other:elsewhere.test:nope")
                modparam("uac", "credential", "alice:upstream.test:alicepw")
                """.formatted(ip, PASSWD) + (js ? """
                loadmodule "app_jsdt.so"
                modparam("app_jsdt", "load", "{dir}/uac.js")
                modparam("uac", "event_callback", "ksr_uac_event")
                cfgengine "jsdt"
                """ : """
                request_route {
                    if ($rU == "send") {
                        $uac_req(all) = $null;
                        $uac_req(method) = "MESSAGE";
                        $uac_req(ruri) = $hdr(X-Target);
                        $uac_req(furi) = "sip:alice@kemi.test";
                        $uac_req(turi) = "sip:bob@kemi.test";
                        $uac_req(hdrs) = "Subject: hi\\r\\nContent-Type: text/plain\\r\\n";
                        $uac_req(body) = "hello";
                        $uac_req(auser) = "alice";
                        $uac_req(apasswd) = "alicepw";
                        $uac_req(evroute) = 1;
                        $uac_req(evparam) = $hdr(X-Report);
                        uac_req_send();
                        sl_send_reply("200", "sent");
                        exit;
                    }
                    if (loose_route()) {
                        t_relay();
                        exit;
                    }
                    record_route();
                    if ($rU == "carrier") {
                        t_on_failure("AUTH");
                    } else {
                        uac_replace_from("\\"Anonymous\\"", "sip:anonymous@anonymous.invalid");
                    }
                    t_relay();
                }
                event_route[uac:reply] {
                    if ($uac_req(evparam) != "done") {
                        $uac_req(hdrs) = "X-Ev: " + $uac_req(evtype) + " " + $uac_req(evcode) + " " + $uac_req(method) + " " + $uac_req(auser) + "\\r\\n";
                        $uac_req(ruri) = $uac_req(evparam);
                        $uac_req(evparam) = "done";
                        $uac_req(evroute) = 0;
                        $uac_req(apasswd) = $null;
                        uac_req_send();
                    }
                }
                failure_route[AUTH] {
                    if (t_check_status("401|407")) {
                        if (uac_auth()) {
                            t_relay();
                        }
                    }
                }
                """);
    }

    static final String JS = """
            function ksr_request_route() {
                if (KSR.pv.get("$rU") == "send") {
                    KSR.pv.unset("$uac_req(all)");
                    KSR.pv.sets("$uac_req(method)", "MESSAGE");
                    KSR.pv.sets("$uac_req(ruri)", KSR.pv.get("$hdr(X-Target)"));
                    KSR.pv.sets("$uac_req(furi)", "sip:alice@kemi.test");
                    KSR.pv.sets("$uac_req(turi)", "sip:bob@kemi.test");
                    KSR.pv.sets("$uac_req(hdrs)", "Subject: hi\\r\\nContent-Type: text/plain\\r\\n");
                    KSR.pv.sets("$uac_req(body)", "hello");
                    KSR.pv.sets("$uac_req(auser)", "alice");
                    KSR.pv.sets("$uac_req(apasswd)", "alicepw");
                    KSR.pv.seti("$uac_req(evroute)", 1);
                    KSR.pv.sets("$uac_req(evparam)", KSR.pv.get("$hdr(X-Report)"));
                    KSR.uac.uac_req_send();
                    KSR.sl.sl_send_reply(200, "sent");
                    return;
                }
                if (KSR.rr.loose_route() > 0) {
                    KSR.tm.t_relay();
                    return;
                }
                KSR.rr.record_route();
                if (KSR.pv.get("$rU") == "carrier") {
                    KSR.tm.t_on_failure("ksr_failure_auth");
                } else {
                    KSR.uac.uac_replace_from("\\"Anonymous\\"", "sip:anonymous@anonymous.invalid");
                }
                KSR.tm.t_relay();
            }
            function ksr_uac_event(evname) {
                if (KSR.pv.get("$uac_req(evparam)") != "done") {
                    KSR.pv.sets("$uac_req(hdrs)", "X-Ev: " + KSR.pv.get("$uac_req(evtype)") + " " + KSR.pv.get("$uac_req(evcode)")
                            + " " + KSR.pv.get("$uac_req(method)") + " " + KSR.pv.get("$uac_req(auser)") + "\\r\\n");
                    KSR.pv.sets("$uac_req(ruri)", KSR.pv.get("$uac_req(evparam)"));
                    KSR.pv.sets("$uac_req(evparam)", "done");
                    KSR.pv.seti("$uac_req(evroute)", 0);
                    KSR.pv.unset("$uac_req(apasswd)");
                    KSR.uac.uac_req_send();
                }
            }
            function ksr_failure_auth() {
                if (KSR.tm.t_check_status("401|407") > 0) {
                    if (KSR.uac.uac_auth() > 0) KSR.tm.t_relay();
                }
            }
            """;

    @BeforeParameterizedClassInvocation
    static void start(Front f) throws Exception {
        String ip = f.kamailio ? "127.0.28.2" : "127.0.28.1";
        address = new InetSocketAddress(ip, 5060);
        if (f.kamailio) {
            assertTrue(Kamailio.installed(), "kamailio not installed: ./kemi test installs it");
            Path dir = Path.of("target/uac", f.name().toLowerCase()).toAbsolutePath();
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("uac.js"), JS);
            Path cfg = dir.resolve("kamailio.cfg");
            Files.writeString(cfg, cfg(ip, f.js).replace("{dir}", dir.toString()));
            proxy = Kamailio.startBound(cfg, dir, List.of(address));
        } else {
            proxy = ProxyUnderTest.start(cfg(ip, f.js), Map.of("uac.js", JS));
        }
    }

    @AfterParameterizedClassInvocation
    static void stop() throws Exception {
        if (proxy != null) proxy.close();
        proxy = null;
    }

    /** Kamailio's encoding of the old/new pair, written out independently: XOR, password, base64 with '-'. */
    static String vsf(String oldUri, String newUri) {
        byte[] a = oldUri.getBytes(StandardCharsets.US_ASCII), b = newUri.getBytes(StandardCharsets.US_ASCII);
        byte[] buf = (a.length > b.length ? a : b).clone();
        byte[] shorter = a.length > b.length ? b : a;
        for (int i = 0; i < shorter.length; i++) buf[i] ^= shorter[i];
        byte[] p = PASSWD.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < buf.length; i++) buf[i] ^= p[i % p.length];
        return Base64.getEncoder().encodeToString(buf).replace('=', '-');
    }

    private void same(String item, String value) {
        if (front.kamailio) {
            String ours = SEEN.get(front.twin() + ":" + item);
            if (ours != null) assertEquals(ours, value, item + ": Kamailio and Kemi Proxy differ");
        } else {
            SEEN.put(front + ":" + item, value);
        }
    }

    @Test
    void replacedFromIsRestoredInRepliesAndInTheCalleesBye() {
        try (UacPeer caller = new UacPeer("127.0.28.10", address); UacPeer callee = new UacPeer("127.0.28.11", address)) {
            String callId = UUID.randomUUID() + "@caller";
            String from = "\"Alice\" <sip:alice@caller.test>;tag=a1";
            caller.send("INVITE sip:bob@" + callee.hostPort() + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP " + caller.hostPort() + ";branch=z9hG4bK-inv1;rport\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: " + from + "\r\n"
                    + "To: <sip:bob@callee.test>\r\n"
                    + "Call-ID: " + callId + "\r\n"
                    + "CSeq: 1 INVITE\r\n"
                    + "Contact: <sip:alice@" + caller.hostPort() + ">\r\n"
                    + "Content-Length: 0\r\n\r\n");
            SipWire inv = callee.awaitRequest("INVITE");
            assertEquals("\"Anonymous\" <sip:anonymous@anonymous.invalid>;tag=a1", inv.header("From"), "the callee sees the new From");
            String rr = inv.header("Record-Route");
            assertNotNull(rr, "record-routed");
            assertEquals(vsf("sip:alice@caller.test", "sip:anonymous@anonymous.invalid"), SipWire.param(rr.replaceAll("[<>]", ""), "vsf"),
                    "the old/new pair in Record-Route, as Kamailio encodes it: " + rr);
            same("rr", rr.replace(address.getHostString(), "PROXY"));

            callee.send(callee.reply(inv, 200, "OK", "b1", "Contact: <sip:bob@" + callee.hostPort() + ">"));
            SipWire ok = caller.awaitStatus(200);
            assertEquals(from, ok.header("From"), "the caller sees its own From in the reply");

            // the callee hangs up: its To carries the new URI, the caller must get its own back
            callee.send("BYE sip:alice@" + caller.hostPort() + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP " + callee.hostPort() + ";branch=z9hG4bK-bye1;rport\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "Route: " + rr + "\r\n"
                    + "From: <sip:bob@callee.test>;tag=b1\r\n"
                    + "To: \"Anonymous\" <sip:anonymous@anonymous.invalid>;tag=a1\r\n"
                    + "Call-ID: " + callId + "\r\n"
                    + "CSeq: 1 BYE\r\n"
                    + "Content-Length: 0\r\n\r\n");
            SipWire bye = caller.awaitRequest("BYE");
            assertEquals("\"Anonymous\" <sip:alice@caller.test>;tag=a1", bye.header("To"), "the BYE's To has the caller's URI back");
            assertEquals("<sip:bob@callee.test>;tag=b1", bye.header("From"));
            same("bye", bye.header("To") + "|" + bye.headers("Route") + "|" + bye.header("Record-Route"));

            caller.send(caller.reply(bye, 200, "OK", null));
            SipWire byeOk = callee.awaitStatus(200);
            assertEquals("\"Anonymous\" <sip:anonymous@anonymous.invalid>;tag=a1", byeOk.header("To"),
                    "the callee sees its own To in the BYE's reply");
        }
    }

    private static final Pattern CNONCE = Pattern.compile("cnonce=\"([^\"]*)\"");

    @Test
    void uacAuthAnswersTheUpstreamChallenge() throws Exception {
        try (UacPeer caller = new UacPeer("127.0.28.10", address); UacPeer upstream = new UacPeer("127.0.28.11", address)) {
            String callId = UUID.randomUUID() + "@caller";
            String ruri = "sip:carrier@" + upstream.hostPort();
            caller.send("INVITE " + ruri + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP " + caller.hostPort() + ";branch=z9hG4bK-inv2;rport\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: <sip:alice@caller.test>;tag=a2\r\n"
                    + "To: <sip:carrier@upstream.test>\r\n"
                    + "Call-ID: " + callId + "\r\n"
                    + "CSeq: 7 INVITE\r\n"
                    + "Contact: <sip:alice@" + caller.hostPort() + ">\r\n"
                    + "Content-Length: 0\r\n\r\n");
            SipWire first = upstream.awaitRequest("INVITE");
            assertEquals(null, first.header("Proxy-Authorization"));
            upstream.send(upstream.reply(first, 407, "Proxy Authentication Required", "u1",
                    "Proxy-Authenticate: Digest realm=\"upstream.test\", nonce=\"5f3a9c0e1d\", opaque=\"op-77\", qop=\"auth\", algorithm=MD5"));
            SipWire ack = upstream.awaitRequest("ACK");
            assertEquals(SipWire.param(first.header("Via"), "branch"), SipWire.param(ack.header("Via"), "branch"), "hop-by-hop ACK of the 407");

            SipWire second = upstream.awaitRequest("INVITE");
            assertNotEquals(SipWire.param(first.header("Via"), "branch"), SipWire.param(second.header("Via"), "branch"), "a new branch");
            assertEquals("7 INVITE", second.header("CSeq"), "uac_auth leaves the CSeq as it is (no dialog module)");
            String auth = second.header("Proxy-Authorization");
            assertNotNull(auth, "credentials sent: " + second.text());
            Matcher m = CNONCE.matcher(auth);
            assertTrue(m.find(), auth);
            String cnonce = m.group(1);
            String ha1 = md5("alice:upstream.test:alicepw");
            String ha2 = md5("INVITE:" + ruri);
            String response = md5(ha1 + ":5f3a9c0e1d:00000001:" + cnonce + ":auth:" + ha2);
            assertEquals("Digest username=\"alice\", realm=\"upstream.test\", nonce=\"5f3a9c0e1d\", uri=\"" + ruri
                    + "\", opaque=\"op-77\", qop=auth, nc=00000001, cnonce=\"" + cnonce + "\", response=\"" + response
                    + "\", algorithm=MD5", auth);
            same("cnonce", cnonce);
            assertEquals("Proxy-Authorization", lastHeaderName(second), "added after the other headers");

            upstream.send(upstream.reply(second, 200, "OK", "u2", "Contact: <" + ruri + ">"));
            SipWire ok = caller.awaitStatus(200);
            assertEquals(callId, ok.header("Call-ID"));
        }
    }

    /** Header names in order. */
    private static List<String> names(SipWire m) {
        return m.headerFields().stream().map(f -> f[0]).toList();
    }

    private void trigger(UacPeer caller, UacPeer target, UacPeer report, String tag) {
        caller.send("OPTIONS sip:send@" + address.getHostString() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + caller.hostPort() + ";branch=z9hG4bK-" + tag + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:trigger@caller.test>;tag=" + tag + "\r\n"
                + "To: <sip:send@kemi.test>\r\n"
                + "Call-ID: " + UUID.randomUUID() + "@caller\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "X-Target: sip:target@" + target.hostPort() + "\r\n"
                + "X-Report: sip:report@" + report.hostPort() + "\r\n"
                + "Content-Length: 0\r\n\r\n");
        assertEquals("sent", caller.awaitStatus(200).reason());
    }

    @Test
    void uacReqSendAnswersAChallengeAndRunsTheReplyEventRoute() {
        try (UacPeer caller = new UacPeer("127.0.28.10", address); UacPeer target = new UacPeer("127.0.28.11", address);
             UacPeer report = new UacPeer("127.0.28.12", address)) {
            trigger(caller, target, report, "t1");
            SipWire first = target.awaitRequest("MESSAGE");
            assertEquals("MESSAGE sip:target@" + target.hostPort() + " SIP/2.0", first.firstLine());
            assertEquals(List.of("via", "to", "from", "cseq", "call-id", "max-forwards", "content-length", "user-agent", "subject",
                    "content-type"), names(first).stream().map(n -> n.toLowerCase()).toList(), first.text());
            assertEquals("<sip:bob@kemi.test>", first.header("To"));
            assertTrue(first.header("From").startsWith("<sip:alice@kemi.test>;tag="), first.header("From"));
            assertEquals("10 MESSAGE", first.header("CSeq"));
            assertEquals("hello", first.body());
            same("req-send-via", first.header("Via").replaceAll("branch=.*", "branch=X").replace(address.getHostString(), "PROXY"));
            target.send(target.reply(first, 401, "Unauthorized", "t1",
                    "WWW-Authenticate: Digest realm=\"kemi.test\", nonce=\"n0nce1\", qop=\"auth\""));
            SipWire ev1 = report.awaitRequest("MESSAGE");
            assertEquals("1 401 MESSAGE alice", ev1.header("X-Ev"), "event_route for the 401");
            report.send(report.reply(ev1, 200, "OK", "r1"));

            SipWire second = target.awaitRequest("MESSAGE");
            assertEquals(first.header("Call-ID"), second.header("Call-ID"));
            assertEquals(first.header("From"), second.header("From"));
            assertEquals("11 MESSAGE", second.header("CSeq"));
            assertEquals("authorization", names(second).getLast().toLowerCase());
            // the cnonce is Kamailio's hash of the nonce: the same as 5.6.3 sends for n0nce1
            String ha1 = DigestAnswerCheck.md5("alice:kemi.test:alicepw");
            String ha2 = DigestAnswerCheck.md5("MESSAGE:sip:target@" + target.hostPort());
            assertEquals("Digest username=\"alice\", realm=\"kemi.test\", nonce=\"n0nce1\", uri=\"sip:target@" + target.hostPort()
                    + "\", qop=auth, nc=00000001, cnonce=\"1678142620\", response=\""
                    + DigestAnswerCheck.md5(ha1 + ":n0nce1:00000001:1678142620:auth:" + ha2) + "\", algorithm=MD5",
                    second.header("Authorization"));
            target.send(target.reply(second, 202, "Accepted", "t2"));
            SipWire ev2 = report.awaitRequest("MESSAGE");
            assertEquals("1 202 MESSAGE alice", ev2.header("X-Ev"), "event_route for the 202");
            report.send(report.reply(ev2, 200, "OK", "r2"));
        }
    }

    @Test
    void uacReqSendTimeoutRunsTheEventRouteOnALocal408() {
        try (UacPeer caller = new UacPeer("127.0.28.10", address); UacPeer target = new UacPeer("127.0.28.11", address);
             UacPeer report = new UacPeer("127.0.28.12", address)) {
            trigger(caller, target, report, "t2");
            target.awaitRequest("MESSAGE");
            SipWire ev = report.awaitRequest("MESSAGE");
            assertEquals("2 408 MESSAGE alice", ev.header("X-Ev"), "event_route for tm's own 408 after fr_timer");
            report.send(report.reply(ev, 200, "OK", "r3"));
        }
    }

    private static String lastHeaderName(SipWire m) {
        String name = null;
        for (String line : m.text().split("\r\n\r\n", 2)[0].split("\r\n")) {
            int c = line.indexOf(':');
            if (c > 0 && !line.startsWith(" ")) name = line.substring(0, c).trim();
        }
        return name;
    }

    /** MD5 hex for the digest checks. */
    static final class DigestAnswerCheck {
        static String md5(String s) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.US_ASCII)));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static String md5(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.US_ASCII)));
    }
}
