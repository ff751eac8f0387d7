package dev.kemi.runtime.modules.rtpproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.api.FunctionTable;
import dev.kemi.runtime.rtpproxy.ControlSocket;
import dev.kemi.runtime.rtpproxy.RtpProxyOptions;
import dev.kemi.runtime.rtpproxy.RtpProxyServer;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Our client driving real relays: our own (UDP and unix control) and, when installed, rtpengine. */
class ClientAgainstRelaysTest {

    @Test
    void offerAnswerThroughOurRelayCarriesMedia() throws Exception {
        int base = 20000 + 2 * ThreadLocalRandom.current().nextInt(4900);
        try (RtpProxyServer relay = new RtpProxyServer(RtpProxyOptions.defaults(ControlSocket.udp("127.0.0.1", 0))
                .withListen("127.0.0.2").withPorts(base, base + 99));
             DatagramSocket caller = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
             DatagramSocket callee = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            relay.start();
            MediaCommands commands = connect("udp:127.0.0.1:" + relay.udpControlAddresses().getFirst().getPort());
            RtpproxySets.NodeSet set = sets.defaultSet();

            FakeSignalling invite = FakeSignalling.invite(sdp("10.9.9.9", caller.getLocalPort()));
            invite.sourceIp = "127.0.0.1";
            assertEquals(1, commands.manage(invite, set, null, null));
            FakeSignalling ok = invite.reply(200, sdp("10.9.9.9", callee.getLocalPort()));
            ok.sourceIp = "127.0.0.1";
            assertEquals(1, commands.manage(ok, set, null, null));

            int toCallee = port(invite.body);
            int toCaller = port(ok.body);
            assertTrue(invite.body.contains("c=IN IP4 127.0.0.2"), invite.body);
            send(caller, toCaller, "rtp-from-caller");
            assertEquals("rtp-from-caller", receive(callee));
            send(callee, toCallee, "rtp-from-callee");
            assertEquals("rtp-from-callee", receive(caller));

            FakeSignalling bye = FakeSignalling.invite(null);
            bye.method = "BYE";
            bye.toTag = "ttag";
            assertEquals(1, commands.destroy(bye, set, null));
            FakeSignalling again = invite.reply(200, sdp("10.9.9.9", callee.getLocalPort()));
            // the session is gone: the relay answers 0 to the lookup
            assertEquals(-1, commands.offerAnswer(again, set, null, "127.0.0.1", false, false));
        }
    }

    @Test
    void unixControlSocketWorksToo() throws Exception {
        Path dir = Files.createTempDirectory("rtpp");
        Path sock = dir.resolve("c.sock");
        int base = 20000 + 2 * ThreadLocalRandom.current().nextInt(4900);
        try (RtpProxyServer relay = new RtpProxyServer(RtpProxyOptions.defaults(ControlSocket.unix(sock))
                .withListen("127.0.0.2").withPorts(base, base + 99))) {
            relay.start();
            MediaCommands commands = connect("unix:" + sock);
            FakeSignalling invite = FakeSignalling.invite(sdp("10.9.9.9", 20000));
            assertEquals(1, commands.offerAnswer(invite, sets.defaultSet(), null, "127.0.0.1", true, false));
            int port = port(invite.body);
            assertTrue(port >= base && port < base + 100, invite.body);
        } finally {
            Files.deleteIfExists(sock);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void rtpengineAnswersOurClient() throws Exception {
        Path rtpengine = Path.of("/usr/bin/rtpengine");
        assertTrue(Files.isExecutable(rtpengine), "rtpengine not installed: ./kemi test installs it");
        int control;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            control = probe.getLocalPort();
        }
        int base = 20000 + 2 * ThreadLocalRandom.current().nextInt(4900);
        Process p = new ProcessBuilder(rtpengine.toString(), "--foreground", "--interface=127.0.0.2",
                "--listen-udp=127.0.0.1:" + control, "--port-min=" + base, "--port-max=" + (base + 99),
                "--log-stderr", "--table=-1", "--no-fallback")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            MediaCommands commands = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                commands = connect("udp:127.0.0.1:" + control);
                if (!sets.allNodes().getFirst().disabled) {
                    break;
                }
                Thread.sleep(200); // rtpengine still starting: retry the handshake
            }
            assertTrue(!sets.allNodes().getFirst().disabled, "rtpengine passed the handshake");
            FakeSignalling invite = FakeSignalling.invite(sdp("127.0.0.1", 20000));
            invite.sourceIp = "127.0.0.1";
            assertEquals(1, commands.offerAnswer(invite, sets.defaultSet(), null, "127.0.0.1", true, false));
            FakeSignalling ok = invite.reply(200, sdp("127.0.0.1", 30000));
            ok.sourceIp = "127.0.0.1";
            assertEquals(1, commands.offerAnswer(ok, sets.defaultSet(), null, "127.0.0.1", false, false));
            for (String body : List.of(invite.body, ok.body)) {
                int port = port(body);
                assertTrue(port >= base && port <= base + 99, body);
                assertTrue(body.contains("c=IN IP4 127.0.0.2"), body);
            }
            FakeSignalling bye = FakeSignalling.invite(null);
            bye.method = "BYE";
            bye.toTag = "ttag";
            assertEquals(1, commands.destroy(bye, sets.defaultSet(), null));
        } finally {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void moduleStartsTheBuiltInRelayFromItsModparam() throws Exception {
        int control;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            control = probe.getLocalPort();
        }
        int base = 20000 + 2 * ThreadLocalRandom.current().nextInt(4900);
        RtpproxyModule module = new RtpproxyModule();
        module.relay("-l 127.0.0.2 -m " + base + " -M " + (base + 99) + " -s udp:127.0.0.1:" + control + " -T 30");
        module.rtpproxySock("udp:127.0.0.1:" + control);
        module.relayPortsInOrder();
        module.init(null);
        try {
            assertEquals(30, module.embeddedRelay().options().ttlSeconds());
            // the handshake at init succeeded: an offer goes through the built-in relay
            MediaCommands commands = connect("udp:127.0.0.1:" + control);
            FakeSignalling invite = FakeSignalling.invite(sdp("10.9.9.9", 20000));
            assertEquals(1, commands.offerAnswer(invite, sets.defaultSet(), null, "127.0.0.1", true, false));
            assertTrue(invite.body.contains("c=IN IP4 127.0.0.2"), invite.body);
            assertTrue(invite.body.contains("m=audio " + base + " "), "ports in order: the first pair of the range\n" + invite.body);
        } finally {
            module.shutdown();
        }
        assertEquals(null, module.embeddedRelay());
        // the relay stopped with the module: its control port is free for the next instance
        try (DatagramSocket again = new DatagramSocket(new InetSocketAddress("127.0.0.1", control))) {
            assertEquals(control, again.getLocalPort());
        }
    }

    @Test
    void moduleExportsNativeAndKemiNames() {
        FunctionTable table = FunctionTable.build(List.of(new RtpproxyModule()));
        for (String name : List.of("rtpproxy_manage0", "rtpproxy_manage", "rtpproxy_manage_ip", "rtpproxy_offer0",
                "rtpproxy_offer", "rtpproxy_offer_ip", "rtpproxy_answer0", "rtpproxy_answer", "rtpproxy_answer_ip",
                "rtpproxy_destroy0", "rtpproxy_destroy", "set_rtpproxy_set", "start_recording",
                "rtpproxy_stream2uac", "rtpproxy_stream2uas", "rtpproxy_stop_stream2uac", "rtpproxy_stop_stream2uas")) {
            assertTrue(table.kemi("rtpproxy", name) != null, name);
        }
        assertEquals(3, table.natives("rtpproxy_manage").size());
        assertEquals(3, table.natives("rtpproxy_offer").size());
        assertEquals(3, table.natives("rtpproxy_answer").size());
        assertEquals(2, table.natives("rtpproxy_destroy").size());
        assertEquals(2, table.natives("unforce_rtp_proxy").size());
        assertEquals(1, table.natives("set_rtp_proxy_set").size());
        assertTrue(table.kemi("rtpproxy", "rtpproxy_answer_ip_native") == null);
    }

    private RtpproxySets sets;

    private MediaCommands connect(String url) {
        sets = new RtpproxySets();
        sets.add(url);
        ControlClient client = new ControlClient();
        client.retries = 2;
        NodeSelector selector = new NodeSelector(client);
        for (RtpproxyNode n : sets.allNodes()) {
            n.disabled = selector.test(n, false, true);
        }
        return new MediaCommands(client, selector);
    }

    private static String sdp(String ip, int port) {
        return "v=0\r\no=x 1 1 IN IP4 " + ip + "\r\ns=-\r\nc=IN IP4 " + ip + "\r\nt=0 0\r\nm=audio " + port
                + " RTP/AVP 0\r\n";
    }

    private static int port(String sdp) {
        Matcher m = Pattern.compile("m=audio (\\d+) ").matcher(sdp);
        assertTrue(m.find(), sdp);
        return Integer.parseInt(m.group(1));
    }

    private static void send(DatagramSocket from, int port, String payload) throws IOException {
        byte[] b = payload.getBytes(StandardCharsets.US_ASCII);
        from.send(new DatagramPacket(b, b.length, new InetSocketAddress("127.0.0.2", port)));
    }

    private static String receive(DatagramSocket s) throws IOException {
        s.setSoTimeout(2000);
        byte[] buf = new byte[1500];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        s.receive(p);
        return new String(buf, 0, p.getLength(), StandardCharsets.US_ASCII);
    }
}
