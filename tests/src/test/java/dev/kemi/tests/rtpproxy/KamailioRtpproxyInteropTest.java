package dev.kemi.tests.rtpproxy;

import dev.kemi.tests.Kamailio;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.runtime.rtpproxy.ControlSocket;
import dev.kemi.runtime.rtpproxy.RtpProxyOptions;
import dev.kemi.runtime.rtpproxy.RtpProxyServer;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kamailio 5.6.3's rtpproxy module drives our relay: an INVITE/200/ACK/BYE call by SIPp through
 * a Kamailio that calls rtpproxy_offer/answer/destroy. Skipped when kamailio or sipp is missing.
 */
class KamailioRtpproxyInteropTest {


    @TempDir
    Path dir;

    private SippCall sipp;
    private RtpProxyServer relay;
    private ControlTap tap;
    private int portBase;

    @AfterEach
    void cleanUp() {
        if (sipp != null) {
            sipp.close();
        }
        if (tap != null) {
            tap.close();
        }
        if (relay != null) {
            relay.stop();
        }
    }

    @Test
    void kamailioOffersAnswersAndDestroysThroughOurRelay() throws Exception {
        assumeTools();
        startRelay(ControlSocket.udp("127.0.0.1", 0));
        tap = new ControlTap(relay.udpControlAddresses().getFirst());
        Call call = runCall("udp:127.0.0.1:" + tap.port());

        Map<String, String> replyByCookie = new HashMap<>();
        for (String r : tap.replies) {
            replyByCookie.put(r.substring(0, r.indexOf(' ')), ControlTap.stripCookie(r));
        }
        List<String> commands = tap.commandsWithoutCookie();
        // the handshake every Kamailio process does
        assertTrue(commands.contains("V"), commands.toString());
        assertTrue(commands.contains("VF 20050322"), commands.toString());
        assertTrue(commands.contains("VF 20081102"), commands.toString());
        assertTrue(replyByCookie.containsValue("20040107"), "V answered");

        String offer = find(tap.commands, "^\\S+ U\\S* (\\S+) 127\\.0\\.0\\.1 " + SippCall.CALLER_MEDIA + " (\\S+);1$");
        String answer = find(tap.commands, "^\\S+ L\\S* \\S+ 127\\.0\\.0\\.1 " + SippCall.CALLEE_MEDIA + " \\S+;1 \\S+;1$");
        String delete = find(tap.commands, "^\\S+ D \\S+ \\S+ \\S+$");
        // Kamailio announces the payload types since we answered VF 20081102 with 1
        assertTrue(ControlTap.stripCookie(offer).startsWith("Uc0,8,101 "), offer);
        String offerReply = replyByCookie.get(offer.substring(0, offer.indexOf(' ')));
        String answerReply = replyByCookie.get(answer.substring(0, answer.indexOf(' ')));
        assertTrue(offerReply.matches("\\d+ 127\\.0\\.0\\.2"), offerReply);
        assertTrue(answerReply.matches("\\d+ 127\\.0\\.0\\.2"), answerReply);
        assertEquals("0", replyByCookie.get(delete.substring(0, delete.indexOf(' '))), "D found the session");

        int offerPort = Integer.parseInt(offerReply.split(" ")[0]);
        int answerPort = Integer.parseInt(answerReply.split(" ")[0]);
        // what the callee got: the INVITE's SDP rewritten to our address and the U port
        assertTrue(call.calleeSdp.contains("m=audio " + offerPort + " RTP/AVP 0 8 101"), call.calleeSdp);
        assertTrue(call.calleeSdp.contains("c=IN IP4 127.0.0.2"), call.calleeSdp);
        assertTrue(call.calleeSdp.contains("a=rtcp:" + (offerPort + 1)), call.calleeSdp);
        assertTrue(call.calleeSdp.contains("a=nortpproxy:yes"), call.calleeSdp);
        // what the caller got: the 200 OK's SDP with the L port
        assertTrue(call.callerSdp.contains("m=audio " + answerPort + " RTP/AVP 0"), call.callerSdp);
        assertTrue(call.callerSdp.contains("c=IN IP4 127.0.0.2"), call.callerSdp);

        // our rtpproxy module on the very same INVITE, given the same relay reply, must send the same
        // U and produce the same SDP as Kamailio did
        try (ModuleOracle ours = new ModuleOracle(offerReply, answerReply)) {
            ModuleOracle.Result invite = ours.run(call.uacTrace, "INVITE sip:", call.uacPort, call.kamailioPort,
                    (module, ctx) -> module.rtpproxyOffer0(ctx));
            assertEquals(1, invite.returned());
            assertEquals(ControlTap.stripCookie(offer), invite.command());
            assertEquals(call.calleeSdp, SippCall.mediaSection(invite.message(), SippCall.CALLER_MEDIA));
            ModuleOracle.Result ok = ours.run(call.uasTrace, "SIP/2.0 200 OK", call.uasPort, call.kamailioPort,
                    (module, ctx) -> module.rtpproxyAnswer0(ctx));
            assertEquals(1, ok.returned());
            assertEquals(ControlTap.stripCookie(answer), ok.command());
            assertEquals(call.callerSdp, SippCall.mediaSection(ok.message(), SippCall.CALLEE_MEDIA));
            ModuleOracle.Result bye = ours.run(call.uacTrace, "BYE ", call.uacPort, call.kamailioPort,
                    (module, ctx) -> module.rtpproxyDestroy0(ctx));
            assertEquals(1, bye.returned());
            assertEquals(ControlTap.stripCookie(delete), bye.command());
        }
    }

    @Test
    void kamailioDrivesOurRelayOverAUnixSocket() throws Exception {
        assumeTools();
        Path sock = dir.resolve("rtpproxy.sock");
        // the unix socket for Kamailio, a UDP one for the test's own queries
        startRelay(ControlSocket.unix(sock), ControlSocket.udp("127.0.0.1", 0));
        Call call = runCall("unix:" + sock);

        int offerPort = SippCall.mediaPort(call.calleeSdp);
        int answerPort = SippCall.mediaPort(call.callerSdp);
        assertTrue(offerPort >= portBase && offerPort < portBase + 200, call.calleeSdp);
        assertTrue(answerPort >= portBase && answerPort < portBase + 200 && answerPort != offerPort, call.callerSdp);
        assertTrue(call.calleeSdp.contains("c=IN IP4 127.0.0.2"), call.calleeSdp);
        assertTrue(call.callerSdp.contains("c=IN IP4 127.0.0.2"), call.callerSdp);
        String info = SippCall.control(relay.udpControlAddresses().getFirst(), "I");
        assertTrue(info.contains("sessions created: 1\n") && info.contains("active sessions: 0\n"),
                "one session, deleted by the BYE: " + info);
    }

    @Test
    void bridgeModeWithRtpproxyManageIewc() throws Exception {
        assumeTools();
        // -l internal/external as in the playground's bridge example
        startRelay("127.0.0.2/127.0.0.3", ControlSocket.udp("127.0.0.1", 0));
        tap = new ControlTap(relay.udpControlAddresses().getFirst());
        Call call = runCall("udp:127.0.0.1:" + tap.port(), BRIDGE_ROUTES);

        List<String> commands = tap.commandsWithoutCookie();
        assertTrue(commands.stream().anyMatch(c -> c.startsWith("UIES")), "offer with I, E and S (w): " + commands);
        assertTrue(commands.stream().anyMatch(c -> c.startsWith("LIES")), "answer with the same flags: " + commands);
        assertTrue(commands.stream().anyMatch(c -> c.startsWith("D ")), "BYE deletes: " + commands);
        // towards the callee (external side) the external address, towards the caller the internal one
        assertTrue(call.calleeSdp.contains("c=IN IP4 127.0.0.3"), call.calleeSdp);
        assertTrue(call.callerSdp.contains("c=IN IP4 127.0.0.2"), call.callerSdp);
        assertTrue(call.calleeSdp.contains("o=caller 53655765 2353687637 IN IP4 127.0.0.3"), call.calleeSdp);

        // our module's rtpproxy_manage("iewc") on the same INVITE and 200 OK sends and rewrites the same
        String offer = find(tap.commands, "^\\S+ U.*$");
        String answer = find(tap.commands, "^\\S+ L.*$");
        Map<String, String> replyByCookie = new HashMap<>();
        for (String r : tap.replies) {
            replyByCookie.put(r.substring(0, r.indexOf(' ')), ControlTap.stripCookie(r));
        }
        try (ModuleOracle ours = new ModuleOracle(replyByCookie.get(offer.substring(0, offer.indexOf(' '))),
                replyByCookie.get(answer.substring(0, answer.indexOf(' '))))) {
            ModuleOracle.Result invite = ours.run(call.uacTrace, "INVITE sip:", call.uacPort, call.kamailioPort,
                    (module, ctx) -> module.rtpproxyManage(ctx, "iewc"));
            assertEquals(ControlTap.stripCookie(offer), invite.command());
            assertEquals(call.calleeSdp, SippCall.mediaSection(invite.message(), SippCall.CALLER_MEDIA));
            ModuleOracle.Result ok = ours.run(call.uasTrace, "SIP/2.0 200 OK", call.uasPort, call.kamailioPort,
                    (module, ctx) -> module.rtpproxyManage(ctx, "iewc"));
            assertEquals(ControlTap.stripCookie(answer), ok.command());
            assertEquals(call.callerSdp, SippCall.mediaSection(ok.message(), SippCall.CALLEE_MEDIA));
        }
    }

    private void assumeTools() {
        assertTrue(Kamailio.installed(), "kamailio not installed: ./kemi test installs it");
        assertTrue(SippCall.onPath("sipp"), "sipp not installed: ./kemi test installs it");
    }

    private void startRelay(ControlSocket... control) throws IOException {
        startRelay("127.0.0.2", control);
    }

    private void startRelay(String listen, ControlSocket... control) throws IOException {
        portBase = 20000 + 2 * ThreadLocalRandom.current().nextInt(4900);
        relay = new RtpProxyServer(new RtpProxyOptions(List.of(), List.of(), portBase, portBase + 199,
                List.of(control), RtpProxyOptions.DEFAULT_TTL, null).withListen(listen));
        relay.start();
    }

    private record Call(String calleeSdp, String callerSdp, String uacTrace, String uasTrace, int uacPort,
                        int uasPort, int kamailioPort) { }

    /** One SIPp call through Kamailio configured with {@code rtpproxy_sock}; the SDPs each UA received. */
    private Call runCall(String rtpproxySock) throws Exception {
        return runCall(rtpproxySock, OFFER_ANSWER_ROUTES);
    }

    private Call runCall(String rtpproxySock, String routes) throws Exception {
        int kamailioPort = SippCall.freeUdpPort();
        Path cfg = dir.resolve("kamailio.cfg");
        Files.writeString(cfg, kamailioCfg(kamailioPort, rtpproxySock, routes));
        Path run = Files.createDirectories(dir.resolve("run"));
        sipp = new SippCall(dir);
        sipp.start(List.of(Kamailio.BINARY.toString(), "-f", cfg.toString(), "-DD", "-E", "-w", run.toString(),
                "-Y", run.toString(), "-m", "64", "-M", "16"), "kamailio.log");
        awaitSipReady(kamailioPort);
        SippCall.Result r = sipp.run(kamailioPort, () -> sipp.read("kamailio.log"));
        return new Call(r.calleeSdp(), r.callerSdp(), r.uacTrace(), r.uasTrace(), r.uacPort(), r.uasPort(), kamailioPort);
    }

    private static String find(List<String> lines, String regex) {
        Pattern p = Pattern.compile(regex);
        return lines.stream().filter(l -> p.matcher(l.strip()).matches()).map(String::strip).findFirst()
                .orElseThrow(() -> new AssertionError("no command matching " + regex + " in " + lines));
    }

    /** Kamailio answers OPTIONS itself once its workers run; until then, retry. */
    private static void awaitSipReady(int port) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            s.setSoTimeout(250);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                String options = "OPTIONS sip:ping@127.0.0.1:" + port + " SIP/2.0\r\n"
                        + "Via: SIP/2.0/UDP 127.0.0.1:" + s.getLocalPort() + ";branch=z9hG4bK-ping" + System.nanoTime() + "\r\n"
                        + "From: <sip:ping@127.0.0.1>;tag=p\r\nTo: <sip:ping@127.0.0.1>\r\nCall-ID: ping-" + System.nanoTime()
                        + "\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
                byte[] b = options.getBytes(StandardCharsets.US_ASCII);
                s.send(new DatagramPacket(b, b.length, new InetSocketAddress("127.0.0.1", port)));
                try {
                    byte[] buf = new byte[2048];
                    DatagramPacket reply = new DatagramPacket(buf, buf.length);
                    s.receive(reply);
                    if (new String(buf, 0, reply.getLength(), StandardCharsets.US_ASCII).startsWith("SIP/2.0 200")) {
                        return;
                    }
                } catch (SocketTimeoutException e) {
                    // not up yet
                }
            }
        }
        throw new AssertionError("kamailio did not come up");
    }

    /** Routing with rtpproxy_offer/answer/destroy. */
    private static final String OFFER_ANSWER_ROUTES = """
            request_route {
                if (is_method("OPTIONS") && $rU == "ping") {
                    sl_send_reply("200", "OK");
                    exit;
                }
                if (has_totag()) {
                    if (loose_route()) {
                        if (is_method("BYE")) {
                            rtpproxy_destroy();
                        }
                        t_relay();
                    }
                    exit;
                }
                if (is_method("INVITE")) {
                    record_route();
                    rtpproxy_offer();
                    t_on_reply("MEDIA");
                }
                t_relay();
            }

            onreply_route[MEDIA] {
                if (has_body("application/sdp")) {
                    rtpproxy_answer();
                }
            }
            """;

    /** The bridge-mode example of the playground: rtpproxy_manage("iewc") on requests and replies. */
    private static final String BRIDGE_ROUTES = """
            request_route {
                if (is_method("OPTIONS") && $rU == "ping") {
                    sl_send_reply("200", "OK");
                    exit;
                }
                rtpproxy_manage("iewc");
                if (has_totag()) {
                    if (loose_route()) {
                        t_relay();
                    }
                    exit;
                }
                record_route();
                t_on_reply("MEDIA");
                t_relay();
            }

            onreply_route[MEDIA] {
                if (has_body("application/sdp")) {
                    rtpproxy_manage("iewc");
                }
            }
            """;

    private static String kamailioCfg(int sipPort, String rtpproxySock, String routes) {
        return """
                #!KAMAILIO
                debug=2
                log_stderror=yes
                children=1
                auto_aliases=no
                listen=udp:127.0.0.1:%d
                mpath="%s/"
                loadmodule "tm.so"
                loadmodule "sl.so"
                loadmodule "rr.so"
                loadmodule "pv.so"
                loadmodule "siputils.so"
                loadmodule "textops.so"
                loadmodule "rtpproxy.so"
                modparam("rtpproxy", "rtpproxy_sock", "%s")

                """.formatted(sipPort, Kamailio.MODULES, rtpproxySock) + routes;
    }
}
