package dev.kemi.tests.rtpengine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.SipRequests;
import dev.kemi.tests.SipWire;
import dev.kemi.tests.bridge.RtpPeer;
import dev.kemi.tests.bridge.SipPeer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Calls through Kemi Proxy whose rtpengine module drives Debian's real rtpengine: the INVITE's
 * SDP and the 200's are rewritten to rtpengine's address and ports, RTP sent by the caller to
 * what it was given reaches the callee and back, the BYE deletes the call in rtpengine. Native
 * cfg with rtpengine_offer/answer/delete, a JavaScript KEMI script with rtpengine_manage and
 * the flags of Debian's stock kamailio.cfg, a Python one with offer/answer0/delete0. Everything on 127.0.61.0/24.
 */
class RtpengineCallTest {

    private static final String PROXY = "127.0.61.1";
    private static final String ENGINE = "127.0.61.2";
    private static final String CALLER = "127.0.61.3";
    private static final String CALLEE = "127.0.61.4";
    private static final Pattern MEDIA = Pattern.compile("(?m)^m=audio (\\d+) ");
    private static final Pattern CONNECTION = Pattern.compile("(?m)^c=IN IP4 (\\S+)\\r?$");
    private static final Pattern ORIGIN = Pattern.compile("(?m)^o=\\S+ \\S+ \\S+ IN IP4 (\\S+)\\r?$");

    private static Path dir;
    private static RtpengineDaemon engine;

    @BeforeAll
    static void startEngine() throws IOException {
        dir = Files.createTempDirectory("kemi-rtpengine");
        engine = RtpengineDaemon.start(ENGINE, dir);
    }

    @AfterAll
    static void stopEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    private static String modules() {
        return "listen=udp:" + PROXY + ":{port}\n"
                + "loadmodule \"tm.so\"\nloadmodule \"sl.so\"\nloadmodule \"pv.so\"\nloadmodule \"siputils.so\"\n"
                + "loadmodule \"textops.so\"\nloadmodule \"rtpengine.so\"\n"
                + "modparam(\"rtpengine\", \"rtpengine_sock\", \"" + engine.sock() + "\")\n"
                + "modparam(\"rtpengine\", \"rtpengine_tout_ms\", 2000)\n";
    }

    @Test
    void nativeOfferAnswerDeleteRelayMediaBothWays() {
        String cfg = modules() + """
                request_route {
                    if (has_totag()) {
                        if (is_method("BYE")) {
                            if (!rtpengine_query()) { sl_send_reply("500", "query failed"); exit; }
                            append_hf("X-Rtpstat: $rtpstat\r\n");
                            if (!rtpengine_delete()) { sl_send_reply("500", "delete failed"); exit; }
                        }
                        t_relay();
                        exit;
                    }
                    if (is_method("INVITE")) {
                        if (!rtpengine_offer("replace-origin replace-session-connection ICE=remove RTP/AVP")) {
                            sl_send_reply("500", "offer failed");
                            exit;
                        }
                        t_on_reply("MEDIA");
                    }
                    t_relay();
                }
                onreply_route[MEDIA] {
                    if (has_body("application/sdp")) {
                        rtpengine_answer("replace-origin replace-session-connection");
                    }
                }
                """;
        try (ProxyUnderTest proxy = ProxyUnderTest.start(cfg)) {
            call(proxy.port(), "native");
            // warm: the median of a few more calls is what an offer/answer costs
            long[][] t = new long[10][];
            for (int i = 0; i < t.length; i++) {
                t[i] = call(proxy.port(), "native warm");
            }
            java.util.Arrays.sort(t, java.util.Comparator.comparingLong(a -> a[0]));
            long offer = t[t.length / 2][0];
            java.util.Arrays.sort(t, java.util.Comparator.comparingLong(a -> a[1]));
            System.out.printf("rtpengine native, median of %d calls: INVITE->callee %.2f ms, 200->caller %.2f ms%n",
                    t.length, offer / 1e6, t[t.length / 2][1] / 1e6);
        }
    }

    @Test
    void javascriptManageWithTheStockFlags() {
        String js = """
                function ksr_request_route() {
                    if (KSR.siputils.has_totag() > 0) {
                        if (KSR.is_BYE()) {
                            KSR.rtpengine.rtpengine_manage("replace-origin replace-session-connection");
                        }
                        KSR.tm.t_relay();
                        return;
                    }
                    if (KSR.is_INVITE()) {
                        if (KSR.rtpengine.rtpengine_manage("replace-origin replace-session-connection") < 0) {
                            KSR.sl.sl_send_reply(500, "manage failed");
                            return;
                        }
                        KSR.tm.t_on_reply("ksr_media_reply");
                    }
                    KSR.tm.t_relay();
                }
                function ksr_media_reply() {
                    KSR.rtpengine.rtpengine_manage("replace-origin replace-session-connection");
                }
                """;
        String cfg = "children=1\n" + modules() + "loadmodule \"app_jsdt.so\"\nmodparam(\"app_jsdt\", \"load\", \"{dir}/route.js\")\n"
                + "cfgengine \"jsdt\"\n";
        try (ProxyUnderTest proxy = ProxyUnderTest.start(cfg, Map.of("route.js", js))) {
            warmUp(proxy.port());
            call(proxy.port(), "jsdt manage");
        }
    }

    @Test
    void pythonOfferAnswerDelete() {
        String py = """
                import KSR

                def mod_init():
                    return kamailio()

                class kamailio:
                    def __init__(self):
                        pass

                    def child_init(self, rank):
                        return 0

                    def ksr_request_route(self, msg):
                        if KSR.siputils.has_totag() > 0:
                            if KSR.is_BYE() and KSR.rtpengine.rtpengine_delete0() < 0:
                                KSR.sl.sl_send_reply(500, "delete failed")
                                return 1
                            KSR.tm.t_relay()
                            return 1
                        if KSR.is_INVITE():
                            if KSR.rtpengine.rtpengine_offer("replace-origin replace-session-connection") < 0:
                                KSR.sl.sl_send_reply(500, "offer failed")
                                return 1
                            KSR.tm.t_on_reply("ksr_media_reply")
                        KSR.tm.t_relay()
                        return 1

                    def ksr_media_reply(self, msg):
                        KSR.rtpengine.rtpengine_answer0()
                        return 1
                """;
        // one worker: the warm-up starts the context that serves the call
        String cfg = "children=1\n" + modules() + "loadmodule \"app_python3.so\"\nmodparam(\"app_python3\", \"load\", \"{dir}/route.py\")\n"
                + "cfgengine \"python\"\n";
        try (ProxyUnderTest proxy = ProxyUnderTest.start(cfg, Map.of("route.py", py))) {
            warmUp(proxy.port());
            call(proxy.port(), "python");
        }
    }

    /** An OPTIONS relayed to the callee: the script engine has started its first worker's context. */
    private static void warmUp(int proxyPort) {
        try (SipPeer caller = new SipPeer(CALLER); SipPeer callee = new SipPeer(CALLEE)) {
            Dialog d = new Dialog(caller, callee);
            caller.send(d.request("OPTIONS", 1, null), new InetSocketAddress(PROXY, proxyPort));
            assertTrue(callee.poll(d.callId, "OPTIONS", Duration.ofSeconds(120)), "the script relays an OPTIONS");
        }
    }

    /** INVITE, 200, ACK, media both ways, BYE; asserts on the SDP each side sees and on rtpengine. */
    private static long[] call(int proxyPort, String label) {
        InetSocketAddress proxy = new InetSocketAddress(PROXY, proxyPort);
        try (SipPeer caller = new SipPeer(CALLER); SipPeer callee = new SipPeer(CALLEE);
             RtpPeer callerMedia = new RtpPeer(CALLER); RtpPeer calleeMedia = new RtpPeer(CALLEE)) {
            Dialog d = new Dialog(caller, callee);
            long t0 = System.nanoTime();
            caller.send(d.request("INVITE", 1, sdp(CALLER, callerMedia.port())), proxy);
            SipPeer.Received invite = callee.awaitRequest(d.callId, "INVITE");
            long offerNanos = System.nanoTime() - t0;
            String offered = invite.msg().body();
            assertEquals(ENGINE, group(CONNECTION, offered), offered);
            assertEquals(ENGINE, group(ORIGIN, offered), "replace-origin: " + offered);
            int toCallee = Integer.parseInt(group(MEDIA, offered));
            assertTrue(toCallee >= engine.portMin && toCallee <= engine.portMax, offered);
            assertFalse(offered.contains("a=candidate"), offered);

            long t1 = System.nanoTime();
            callee.send(d.response(invite.msg(), 200, "OK", sdp(CALLEE, calleeMedia.port())), invite.source());
            SipWire ok = caller.awaitResponse(d.callId, 200, "INVITE").msg();
            long answerNanos = System.nanoTime() - t1;
            String answered = ok.body();
            assertEquals(ENGINE, group(CONNECTION, answered), answered);
            int toCaller = Integer.parseInt(group(MEDIA, answered));
            assertTrue(toCaller >= engine.portMin && toCaller <= engine.portMax, answered);
            assertNotEquals(toCallee, toCaller, "one port per side");
            d.toTag = SipWire.param(ok.header("to"), "tag");
            caller.send(d.request("ACK", 1, null), proxy);
            callee.awaitRequest(d.callId, "ACK");

            // media: each side sends to what its SDP said, rtpengine relays to the other side
            for (int i = 0; i < 5; i++) {
                callerMedia.send("caller-" + i, ENGINE, toCaller);
                calleeMedia.send("callee-" + i, ENGINE, toCallee);
            }
            RtpPeer.Packet atCallee = calleeMedia.receive(Duration.ofSeconds(5));
            RtpPeer.Packet atCaller = callerMedia.receive(Duration.ofSeconds(5));
            assertNotNull(atCallee, "caller's RTP reached the callee");
            assertNotNull(atCaller, "callee's RTP reached the caller");
            assertTrue(atCallee.payload().startsWith("caller-"), atCallee.toString());
            assertTrue(atCaller.payload().startsWith("callee-"), atCaller.toString());
            assertEquals(new InetSocketAddress(ENGINE, toCallee), atCallee.source(), "from rtpengine's callee-side port");
            assertEquals(new InetSocketAddress(ENGINE, toCaller), atCaller.source(), "from rtpengine's caller-side port");

            assertTrue(engine.list().contains(d.callId), "rtpengine holds the call: " + engine.list());
            caller.send(d.request("BYE", 2, null), proxy);
            SipPeer.Received bye = callee.awaitRequest(d.callId, "BYE");
            String stat = bye.msg().header("x-rtpstat");
            if (label.startsWith("native")) {
                // $rtpstat: rtpengine's totals for the call, in Kamailio's format
                assertNotNull(stat, bye.msg().toString());
                assertTrue(stat.matches("RTP: \\d+ bytes, \\d+ packets, \\d+ errors; RTCP: \\d+ bytes, \\d+ packets, \\d+ errors"), stat);
            }
            callee.send(d.response(bye.msg(), 200, "OK", null), bye.source());
            caller.awaitResponse(d.callId, 200, "BYE");
            assertFalse(engine.list().contains(d.callId), "BYE deleted the call: " + engine.list());
            System.out.printf("rtpengine %s: INVITE->callee %.1f ms (incl. ng offer), 200->caller %.1f ms (incl. ng answer)%n",
                    label, offerNanos / 1e6, answerNanos / 1e6);
            return new long[] {offerNanos, answerNanos};
        }
    }

    private static String sdp(String host, int port) {
        return "v=0\r\n"
                + "o=- 1 1 IN IP4 " + host + "\r\n"
                + "s=-\r\n"
                + "c=IN IP4 " + host + "\r\n"
                + "t=0 0\r\n"
                + "m=audio " + port + " RTP/AVP 0\r\n"
                + "a=rtpmap:0 PCMU/8000\r\n"
                + "a=candidate:1 1 UDP 2130706431 " + host + " " + port + " typ host\r\n"
                + "a=sendrecv\r\n";
    }

    private static String group(Pattern p, String text) {
        Matcher m = p.matcher(text);
        if (!m.find()) {
            throw new AssertionError("no " + p + " in:\n" + text);
        }
        return m.group(1);
    }

    /** One call's identifiers and message texts; the caller sends everything to the proxy. */
    private static final class Dialog {
        final SipPeer caller;
        final SipPeer callee;
        final String callId = SipRequests.callId();
        final String fromTag = UUID.randomUUID().toString().substring(0, 8);
        final String calleeTag = UUID.randomUUID().toString().substring(0, 8);
        String toTag;

        Dialog(SipPeer caller, SipPeer callee) {
            this.caller = caller;
            this.callee = callee;
        }

        String uri() {
            return "sip:callee@" + CALLEE + ":" + callee.port();
        }

        String request(String method, int cseq, String sdp) {
            StringBuilder b = new StringBuilder()
                    .append(method).append(' ').append(uri()).append(" SIP/2.0\r\n")
                    .append("Via: SIP/2.0/UDP ").append(CALLER).append(':').append(caller.port())
                    .append(";branch=").append(SipRequests.branch()).append(";rport\r\n")
                    .append("Max-Forwards: 70\r\n")
                    .append("From: <sip:caller@").append(CALLER).append(">;tag=").append(fromTag).append("\r\n")
                    .append("To: <sip:callee@").append(CALLEE).append('>')
                    .append(toTag == null ? "" : ";tag=" + toTag).append("\r\n")
                    .append("Call-ID: ").append(callId).append("\r\n")
                    .append("CSeq: ").append(cseq).append(' ').append(method).append("\r\n")
                    .append("Contact: <sip:caller@").append(CALLER).append(':').append(caller.port()).append(">\r\n");
            return withBody(b, sdp);
        }

        String response(SipWire request, int status, String reason, String sdp) {
            StringBuilder b = new StringBuilder("SIP/2.0 ").append(status).append(' ').append(reason).append("\r\n");
            for (String via : request.headers("via")) {
                b.append("Via: ").append(via).append("\r\n");
            }
            String to = request.header("to");
            b.append("From: ").append(request.header("from")).append("\r\n")
                    .append("To: ").append(to).append(SipWire.param(to, "tag") == null ? ";tag=" + calleeTag : "").append("\r\n")
                    .append("Call-ID: ").append(request.header("call-id")).append("\r\n")
                    .append("CSeq: ").append(request.header("cseq")).append("\r\n")
                    .append("Contact: <").append(uri()).append(">\r\n");
            return withBody(b, sdp);
        }

        private static String withBody(StringBuilder head, String sdp) {
            if (sdp == null) {
                return head.append("Content-Length: 0\r\n\r\n").toString();
            }
            return head.append("Content-Type: application/sdp\r\n")
                    .append("Content-Length: ").append(sdp.length()).append("\r\n\r\n").append(sdp).toString();
        }
    }
}
