package dev.kemi.tests.outbound;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.tests.Kamailio;
import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.db.TestDatabases;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 5626 through Kamailio's outbound examples, unchanged routing: edge.cfg in front of
 * registrar.cfg. A SIPp UA registers through the edge with reg-id/+sip.instance and Supported:
 * outbound; its Contact names a port nobody listens on, so the INVITE a SIPp caller sends to its
 * AoR reaches it only over the registered flow (Path with the edge's flow token, loose_route on
 * the token). The same run on Kamailio 5.6.3 and on us, on the same addresses one after the
 * other: the wire (REGISTER 200, the INVITE at the UA, the flow token's shape and clear part)
 * and the registrar's ul.dump binding must be the same; so must the registrar's answer to a REGISTER with
 * reg-id relayed by an edge that does not do outbound (439, or reg-id dropped).
 */
class OutboundEdgeRegistrarTest {
    private static final Path SIPP = Path.of("/usr/bin/sipp");
    private static final Path SCENARIOS = Path.of(System.getProperty("kemi.root", "..")).resolve("tests/src/test/resources/outbound")
            .toAbsolutePath().normalize();
    private static final String EDGE = "127.0.35.1";
    private static final String REGISTRAR = "127.0.35.2";
    private static final String UA = "127.0.35.10";
    private static final int UA_PORT = 5070;
    private static final String CALLER = "127.0.35.11";
    private static final String SPARE = "127.0.35.12";
    /** The port of the UA's Contact: closed, so only its flow reaches it. */
    private static final int CONTACT_PORT = 5999;
    private static final Pattern TOKEN = Pattern.compile("sip:([A-Za-z0-9+/]{30}[A-Za-z0-9+/=]{2})@");

    /** What one run showed. */
    record Run(List<String> registerReply, List<String> invite, Map<String, String> binding, List<String> tokens,
               List<String> viaOtherEdge, String regIdViaOtherEdge) {}

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void sameFlowRoutingAsKamailio(String transport) throws Exception {
        TestDatabases.requirePeer(Files.isExecutable(SIPP), "sipp is not installed");
        TestDatabases.requirePeer(Kamailio.installed() && Files.exists(Kamailio.MODULES.resolve("outbound.so")),
                "kamailio 5.6.3 with kamailio-outbound-modules is not installed");
        TestDatabases.requirePeer(OutboundExamples.installed(), "kamailio's outbound examples are not installed");
        String user = "ua" + transport;
        Run kam = run(true, transport, user);
        Run ours = run(false, transport, user);
        assertEquals(normalize(kam.registerReply), normalize(ours.registerReply), "REGISTER 200 at the UA");
        assertEquals(normalize(kam.invite), normalize(ours.invite), "INVITE at the UA");
        assertEquals(comparable(kam.binding), comparable(ours.binding), "ul.dump binding");
        assertEquals(kam.viaOtherEdge, ours.viaOtherEdge, "REGISTER with reg-id through an edge without outbound");
        assertTrue(kam.viaOtherEdge.get(0).startsWith("SIP/2.0 439"), kam.viaOtherEdge.toString());
        assertEquals("0", kam.regIdViaOtherEdge, "5.6.3 ignores reg-id through an edge without outbound");
        assertEquals(kam.regIdViaOtherEdge, ours.regIdViaOtherEdge);
        for (Run r : List.of(kam, ours)) {
            assertTrue(r.registerReply.contains("Require: outbound") && r.registerReply.contains("Flow-Timer: 20"), r.registerReply.toString());
            assertEquals("1", r.binding.get("Reg-Id"));
            assertEquals("<urn:uuid:00000000-0000-1000-8000-000A95A0E128>", r.binding.get("Instance"));
            assertTrue(r.binding.get("Ruid").startsWith("uloc-"), r.binding.toString());
            assertTrue(!r.tokens.isEmpty(), "a flow token on the wire");
            for (String t : r.tokens) assertFlow(t, transport);
        }
    }

    /**
     * A UA with no listening socket at all (a plain TCP connection from an ephemeral port): the
     * INVITE can only come back over the connection it registered through.
     */
    @org.junit.jupiter.api.Test
    void theInviteComesOverTheRegisteringConnection() throws Exception {
        TestDatabases.requirePeer(Files.isExecutable(SIPP), "sipp is not installed");
        TestDatabases.requirePeer(Kamailio.installed() && Files.exists(Kamailio.MODULES.resolve("outbound.so")),
                "kamailio 5.6.3 with kamailio-outbound-modules is not installed");
        TestDatabases.requirePeer(OutboundExamples.installed(), "kamailio's outbound examples are not installed");
        List<String> kam = overConnection(true), ours = overConnection(false);
        assertEquals(normalize(kam), normalize(ours));
    }

    /** The INVITE the connection-only UA got, after it answered the call to its end. */
    private List<String> overConnection(boolean kamailio) throws Exception {
        Path dir = Files.createTempDirectory("kemi-outbound-conn-" + (kamailio ? "kam" : "ours"));
        String user = "uaconn";
        List<AutoCloseable> proxies = new ArrayList<>();
        try {
            String edgeCfg = OutboundExamples.edge(EDGE, REGISTRAR, dir.resolve("edge.ctl"), "");
            String regCfg = OutboundExamples.registrar(REGISTRAR, dir.resolve("registrar.ctl"));
            if (kamailio) {
                proxies.add(startKamailio(dir, "registrar", regCfg, REGISTRAR));
                proxies.add(startKamailio(dir, "edge", edgeCfg, EDGE));
            } else {
                proxies.add(ProxyUnderTest.start(regCfg));
                proxies.add(ProxyUnderTest.start(edgeCfg));
            }
            registerSpare(user);
            java.net.Socket sock = new java.net.Socket();
            sock.bind(new InetSocketAddress("127.0.35.13", 0));
            sock.connect(new InetSocketAddress(EDGE, 5060), 5000);
            try (dev.kemi.tests.TcpSipClient ua = new dev.kemi.tests.TcpSipClient(sock, "TCP")) {
                String via = "Via: SIP/2.0/TCP 127.0.35.13:" + sock.getLocalPort() + ";branch=z9hG4bKconn1;rport\r\n";
                ua.sendBytes(("REGISTER sip:example.com SIP/2.0\r\n" + via + "Max-Forwards: 70\r\nFrom: <sip:" + user
                        + "@example.com>;tag=c1\r\nTo: <sip:" + user + "@example.com>\r\nCall-ID: conn-reg\r\nCSeq: 1 REGISTER\r\n"
                        + "Supported: outbound, path\r\nContact: <sip:" + user + "@127.0.35.13:" + CONTACT_PORT
                        + ";transport=tcp>;q=1.0;reg-id=1;+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-0000000000c1>\"\r\n"
                        + "Expires: 600\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                String reply = ua.receive(java.time.Duration.ofSeconds(10));
                assertTrue(reply != null && reply.startsWith("SIP/2.0 200"), String.valueOf(reply));
                Process caller = sipp(dir, "caller", "u1", CALLER, 5071, user);
                try {
                    String invite = ua.receive(java.time.Duration.ofSeconds(20));
                    assertTrue(invite != null && invite.startsWith("INVITE sip:" + user + "@127.0.35.13:" + CONTACT_PORT), String.valueOf(invite));
                    ua.sendBytes(answer(invite, "200 OK", "Contact: <sip:" + user + "@127.0.35.13:" + CONTACT_PORT + ";transport=tcp>\r\n"));
                    String ack = ua.receive(java.time.Duration.ofSeconds(20));
                    assertTrue(ack != null && ack.startsWith("ACK "), String.valueOf(ack));
                    String bye = ua.receive(java.time.Duration.ofSeconds(20));
                    assertTrue(bye != null && bye.startsWith("BYE "), String.valueOf(bye));
                    ua.sendBytes(answer(bye, "200 OK", ""));
                    assertTrue(caller.waitFor(40, TimeUnit.SECONDS), "caller finished");
                    assertEquals(0, caller.exitValue(), "caller: " + Files.readString(dir.resolve("caller.trace")));
                    return lines(invite.strip());
                } finally {
                    caller.destroyForcibly();
                }
            }
        } finally {
            for (AutoCloseable p : proxies.reversed()) p.close();
        }
    }

    /** A reply to a request: its Via, Record-Route, From, To (tagged), Call-ID and CSeq lines. */
    private static byte[] answer(String request, String status, String extra) {
        StringBuilder b = new StringBuilder("SIP/2.0 ").append(status).append("\r\n");
        for (String l : request.split("\r\n")) {
            if (l.startsWith("Via:") || l.startsWith("Record-Route:") || l.startsWith("From:") || l.startsWith("Call-ID:")
                    || l.startsWith("CSeq:")) b.append(l).append("\r\n");
            if (l.startsWith("To:")) b.append(l).append(l.contains(";tag=") ? "" : ";tag=uaconn").append("\r\n");
        }
        return b.append(extra).append("Content-Length: 0\r\n\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The token is base64 of 23 bytes: 10 of HMAC, then the flow in clear (proto, edge ip:port, UA ip:port). */
    private static void assertFlow(String token, String transport) throws Exception {
        byte[] b = Base64.getDecoder().decode(token);
        assertEquals(23, b.length, token);
        byte[] edge = InetAddress.getByName(EDGE).getAddress(), ua = InetAddress.getByName(UA).getAddress();
        byte[] flow = {(byte) (transport.equals("udp") ? 1 : 2), edge[0], edge[1], edge[2], edge[3], 0x13, (byte) 0xc4,
                ua[0], ua[1], ua[2], ua[3], (byte) (UA_PORT >> 8), (byte) UA_PORT};
        assertArrayEquals(flow, java.util.Arrays.copyOfRange(b, 10, 23), token);
    }

    private Run run(boolean kamailio, String transport, String user) throws Exception {
        Path dir = Files.createTempDirectory("kemi-outbound-" + (kamailio ? "kam" : "ours"));
        Path edgeCtl = dir.resolve("edge.ctl"), regCtl = dir.resolve("registrar.ctl");
        String edgeCfg = OutboundExamples.edge(EDGE, REGISTRAR, edgeCtl, "");
        String regCfg = OutboundExamples.registrar(REGISTRAR, regCtl);
        List<AutoCloseable> proxies = new ArrayList<>();
        try {
            ProxyUnderTest ourRegistrar = null;
            if (kamailio) {
                proxies.add(startKamailio(dir, "registrar", regCfg, REGISTRAR));
                proxies.add(startKamailio(dir, "edge", edgeCfg, EDGE));
            } else {
                ourRegistrar = ProxyUnderTest.start(regCfg);
                proxies.add(ourRegistrar);
                proxies.add(ProxyUnderTest.start(edgeCfg));
            }
            // registrar.cfg's t_next_contacts fails for an AoR of one binding: a lower-q second one
            registerSpare(user);
            String contact = "sip:" + user + "@" + UA + ":" + CONTACT_PORT;
            Process callee = sipp(dir, "callee", transport.equals("udp") ? "u1" : "t1", UA, UA_PORT, user);
            try {
                Map<String, String> binding = awaitBinding(kamailio, regCtl, ourRegistrar, contact, callee);
                Process caller = sipp(dir, "caller", "u1", CALLER, 5071, user);
                try {
                    assertTrue(caller.waitFor(40, TimeUnit.SECONDS), "caller finished");
                    assertEquals(0, caller.exitValue(), "caller: " + Files.readString(dir.resolve("caller.trace")));
                } finally {
                    caller.destroyForcibly();
                }
                assertTrue(callee.waitFor(40, TimeUnit.SECONDS), "callee finished");
                assertEquals(0, callee.exitValue(), "callee: " + Files.readString(dir.resolve("callee.trace")));
                List<String> received = received(Files.readString(dir.resolve("callee.trace")));
                List<String> reply = lines(find(received, "SIP/2.0 200", "REGISTER"));
                List<String> invite = lines(find(received, "INVITE ", "INVITE"));
                List<String> tokens = new ArrayList<>();
                for (String s : List.of(String.join("\n", reply), String.join("\n", invite), binding.get("Path"))) {
                    Matcher m = TOKEN.matcher(s);
                    while (m.find()) tokens.add(m.group(1));
                }
                // an edge that does not do outbound (no Path ;ob): 439 when the UA asks for outbound, else reg-id ignored
                List<String> refused = normalize(lines(registerDirect(user + "x", true)));
                refused.removeIf(l -> l.startsWith("Via:") || l.startsWith("From:") || l.startsWith("To:"));
                registerDirect(user + "y", false);
                String contactY = "sip:" + user + "y@127.0.35.99";
                Map<String, String> y = kamailio ? Ul.kamailio(regCtl, contactY) : Ul.ours(ourRegistrar, contactY);
                assertNotNull(y, "binding of " + contactY);
                return new Run(reply, invite, binding, tokens, refused, y.get("Reg-Id"));
            } finally {
                callee.destroyForcibly();
            }
        } finally {
            for (AutoCloseable p : proxies.reversed()) p.close();
        }
    }

    private static Kamailio startKamailio(Path dir, String name, String cfg, String ip) throws IOException {
        Path run = Files.createDirectories(dir.resolve(name));
        Path file = run.resolve(name + ".cfg");
        Files.writeString(file, cfg);
        return Kamailio.startBound(file, run, List.of(new InetSocketAddress(ip, 5060)));
    }

    /** A REGISTER with reg-id as relayed by an edge proxy without outbound (two Vias, no Path); the reply's text. */
    private static String registerDirect(String user, boolean supportedOutbound) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(SPARE, 0))) {
            s.setSoTimeout(10_000);
            String m = "REGISTER sip:example.com SIP/2.0\r\nVia: SIP/2.0/UDP " + SPARE + ":" + s.getLocalPort() + ";branch=z9hG4bKe" + user
                    + "\r\nVia: SIP/2.0/UDP 127.0.35.99:5099;branch=z9hG4bKu" + user + "\r\nMax-Forwards: 69\r\nFrom: <sip:" + user
                    + "@example.com>;tag=e\r\nTo: <sip:" + user + "@example.com>\r\nCall-ID: edge-" + user + "\r\nCSeq: 1 REGISTER\r\n"
                    + (supportedOutbound ? "Supported: outbound\r\n" : "") + "Contact: <sip:" + user
                    + "@127.0.35.99:5099>;reg-id=1;+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-00000000000" + (supportedOutbound ? 1 : 2)
                    + ">\"\r\nExpires: 600\r\nContent-Length: 0\r\n\r\n";
            byte[] b = m.getBytes(StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(b, b.length, new InetSocketAddress(REGISTRAR, 5060)));
            DatagramPacket r = new DatagramPacket(new byte[4096], 4096);
            s.receive(r);
            return new String(r.getData(), 0, r.getLength(), StandardCharsets.US_ASCII).strip();
        }
    }

    /** A second binding of the AoR, straight at the registrar, q=0.1 (never reached: the UA's has q=1). */
    private static void registerSpare(String user) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(SPARE, 0))) {
            s.setSoTimeout(10_000);
            String m = "REGISTER sip:example.com SIP/2.0\r\nVia: SIP/2.0/UDP " + SPARE + ":" + s.getLocalPort() + ";branch=z9hG4bKspare" + user
                    + "\r\nMax-Forwards: 70\r\nFrom: <sip:" + user + "@example.com>;tag=spare\r\nTo: <sip:" + user + "@example.com>\r\n"
                    + "Call-ID: spare-" + user + "\r\nCSeq: 1 REGISTER\r\nContact: <sip:spare@127.0.35.99:5099>;q=0.1\r\nExpires: 600\r\n"
                    + "Content-Length: 0\r\n\r\n";
            byte[] b = m.getBytes(StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(b, b.length, new InetSocketAddress(REGISTRAR, 5060)));
            DatagramPacket r = new DatagramPacket(new byte[4096], 4096);
            s.receive(r);
            String reply = new String(r.getData(), 0, r.getLength(), StandardCharsets.US_ASCII);
            assertTrue(reply.startsWith("SIP/2.0 200"), reply);
        }
    }

    private static Map<String, String> awaitBinding(boolean kamailio, Path ctl, ProxyUnderTest ours, String contact, Process callee)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            Map<String, String> b = kamailio ? Ul.kamailio(ctl, contact) : Ul.ours(ours, contact);
            if (b != null) return b;
            assertTrue(callee.isAlive() && System.nanoTime() < deadline, "the UA's binding never showed in ul.dump");
            Thread.sleep(50); // polling the registrar's table: the REGISTER's outcome has no other signal here
        }
    }

    private static Process sipp(Path dir, String name, String transport, String ip, int port, String user) throws IOException {
        String text = Files.readString(SCENARIOS.resolve(name + ".xml")).replace("{user}", user)
                .replace("{contact_port}", Integer.toString(CONTACT_PORT));
        Path file = dir.resolve(name + ".xml");
        Files.writeString(file, text);
        List<String> cmd = List.of(SIPP.toString(), "-sf", file.toString(), "-t", transport, "-i", ip, "-p", Integer.toString(port),
                EDGE + ":5060", "-m", "1", "-nostdin", "-cp", Integer.toString(ProxyUnderTest.freePort()), "-timeout", "30s",
                "-timeout_error", "-cid_str", "ob-" + user + "-%u", "-trace_msg", "-message_file", dir.resolve(name + ".trace").toString());
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".out").toFile()).start();
    }

    /** The messages SIPp logged as received, in order. */
    private static List<String> received(String trace) {
        List<String> out = new ArrayList<>();
        for (String block : trace.split("\n-{20,}[^\n]*\n")) {
            int nl = block.indexOf('\n');
            if (nl < 0 || !block.substring(0, nl).contains("message received")) continue;
            out.add(block.substring(nl + 1).strip());
        }
        return out;
    }

    private static String find(List<String> msgs, String start, String cseqMethod) {
        for (String m : msgs) if (m.startsWith(start) && Pattern.compile("(?m)^CSeq: \\d+ " + cseqMethod).matcher(m).find()) return m;
        throw new AssertionError("no " + start + " for " + cseqMethod + " in " + msgs);
    }

    private static List<String> lines(String msg) {
        return new ArrayList<>(List.of(msg.split("\r?\n")));
    }

    /** Values that differ by run (tags, branches, Call-ID suffixes, expires left, the token's HMAC) made equal. */
    private static List<String> normalize(List<String> msg) {
        List<String> out = new ArrayList<>();
        for (String l : msg) {
            if (l.startsWith("Server:") || l.startsWith("User-Agent:")) continue;
            out.add(TOKEN.matcher(l).replaceAll("sip:TOKEN@").replaceAll("tag=[^;>,\\s]+", "tag=T").replaceAll("branch=[^;,\\s]+", "branch=B")
                    .replaceAll("expires=\\d+", "expires=N"));
        }
        return out;
    }

    private static Map<String, String> comparable(Map<String, String> b) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : List.of("Address", "Q", "Call-ID", "CSeq", "User-Agent", "Received", "Path", "State", "Flags", "CFlags", "Socket",
                "Instance", "Reg-Id", "Server-Id", "Tcpconn-Id", "Keepalive")) {
            String v = b.get(k);
            out.put(k, v == null ? null : TOKEN.matcher(v).replaceAll("sip:TOKEN@"));
        }
        return out;
    }
}
