package dev.kemi.tests.bridge;

import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.SipRequests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The seed's bridge-mode scenario as shipped in scripts/ (bridge.cfg, or bridge-python.cfg /
 * bridge-js.cfg with their script), started in this JVM from copies whose ports are replaced
 * by free ones; the loopback addresses stay as written. The PBX's SIP socket is opened first,
 * since its port goes into the routing logic.
 */
final class BridgeScenario implements AutoCloseable {

    static final String WAN = "127.0.0.3";
    static final String LAN = "127.0.0.2";
    /** The scripts' stand-in for the public address of the WAN side (the seed's 1.1.1.1). */
    static final String PUBLIC = "127.0.0.5";
    static final String PBX = "127.0.0.4";
    /** A phone on the WAN side. */
    static final String PHONE = "127.0.0.6";
    private static final int RANGE = 200;

    final SipPeer pbx;
    final int sipPort;
    final int control;
    final int portMin;
    final int portMax;
    private final AutoCloseable proxy;

    private BridgeScenario(SipPeer pbx, int sipPort, int control, int portMin, AutoCloseable proxy) {
        this.pbx = pbx;
        this.sipPort = sipPort;
        this.control = control;
        this.portMin = portMin;
        this.portMax = portMin + RANGE - 1;
        this.proxy = proxy;
    }

    /**
     * {@code cfg} is a file in scripts/; {@code script} the KEMI file it loads, or null. Runs on
     * Kemi Proxy, or on Kamailio with the relay beside it; returns once requests are routed.
     */
    static BridgeScenario start(String cfg, String script, boolean onKamailio) throws IOException {
        Path scripts = Path.of(System.getProperty("kemi.root", ".."), "scripts");
        SipPeer pbx = new SipPeer(PBX);
        try {
            int sip = freeSipPort();
            int control = freeUdpPort("127.0.0.1");
            // inside the scripts' 10000-20000, at a random place: other tests may run a relay too
            int min = 10000 + 2 * ThreadLocalRandom.current().nextInt((10000 - RANGE) / 2);
            String text = Files.readString(scripts.resolve(cfg));
            text = replace(text, WAN + ":5060", WAN + ":" + sip);
            text = replace(text, LAN + ":5060", LAN + ":" + sip);
            text = replace(text, ":7722", ":" + control);
            text = replace(text, "-m 10000 -M 20000", "-m " + min + " -M " + (min + RANGE - 1));
            Map<String, String> files = new HashMap<>();
            if (script == null) {
                text = replace(text, "t_relay(\"" + PBX + "\", \"5060\")", "t_relay(\"" + PBX + "\", \"" + pbx.port() + "\")");
            } else {
                String logic = Files.readString(scripts.resolve(script));
                files.put(script, replace(logic, PBX + ":5060", PBX + ":" + pbx.port()));
            }
            AutoCloseable proxy = onKamailio ? KamailioBridge.start(text, files) : ProxyUnderTest.start(text, files);
            BridgeScenario scenario = new BridgeScenario(pbx, sip, control, min, proxy);
            try {
                scenario.awaitRouting();
            } catch (RuntimeException | Error e) {
                scenario.close();
                throw e;
            }
            return scenario;
        } catch (IOException | RuntimeException e) {
            pbx.close();
            throw e;
        }
    }

    /** Sends OPTIONS to the WAN address until one reaches the PBX (Kamailio takes a moment to start). */
    private void awaitRouting() {
        try (SipPeer probe = new SipPeer(PHONE)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (int i = 0; System.nanoTime() < deadline; i++) {
                String callId = "ready-" + i + "-" + SipRequests.callId();
                probe.send("OPTIONS sip:pbx@" + PBX + " SIP/2.0\r\n"
                        + "Via: SIP/2.0/UDP " + PHONE + ":" + probe.port() + ";branch=" + SipRequests.branch() + "\r\n"
                        + "Max-Forwards: 70\r\nFrom: <sip:probe@" + PHONE + ">;tag=p\r\nTo: <sip:pbx@" + PBX + ">\r\n"
                        + "Call-ID: " + callId + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n", wanSip());
                if (pbx.poll(callId, "OPTIONS", Duration.ofMillis(500))) {
                    return;
                }
            }
        }
        throw new AssertionError("requests to " + wanSip() + " never reached the PBX"
                + (proxy instanceof KamailioBridge k ? "; kamailio log:\n" + k.log() : ""));
    }

    /** Where SIP from the WAN side goes. */
    InetSocketAddress wanSip() {
        return new InetSocketAddress(WAN, sipPort);
    }

    /** Where a WAN-side phone sends media the SDP says to send to {@code address}: NAT maps the public address. */
    static String reachable(String address) {
        return address.equals(PUBLIC) ? WAN : address;
    }

    boolean inRange(int port) {
        return port >= portMin && port <= portMax;
    }

    /** The relay's answer to a Q (query) for the session of that call, e.g. "E50" when there is none. */
    String query(String callId, String fromTag) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            s.setSoTimeout((int) SipPeer.WAIT.toMillis());
            byte[] b = ("bq1 Q " + callId + " " + fromTag + ";1").getBytes(StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(b, b.length, new InetSocketAddress("127.0.0.1", control)));
            byte[] buf = new byte[1024];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            s.receive(p);
            return new String(buf, 0, p.getLength(), StandardCharsets.US_ASCII).substring(4).strip();
        }
    }

    @Override
    public void close() {
        try {
            proxy.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pbx.close();
        }
    }

    /** Fails if the text changed so that the port can no longer be substituted. */
    private static String replace(String text, String what, String with) {
        if (!text.contains(what)) {
            throw new AssertionError("the script no longer contains '" + what + "'");
        }
        return text.replace(what, with);
    }

    /** Free for UDP and TCP on the WAN address and for TCP on the LAN one (the seed's listen lines). */
    private static int freeSipPort() {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(WAN, 0))) {
                int port = udp.getLocalPort();
                try (ServerSocket wan = new ServerSocket(); ServerSocket lan = new ServerSocket()) {
                    wan.bind(new InetSocketAddress(WAN, port));
                    lan.bind(new InetSocketAddress(LAN, port));
                    return port;
                } catch (IOException taken) {
                    // try another
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free SIP port on " + WAN + " and " + LAN);
    }

    private static int freeUdpPort(String host) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(host, 0))) {
            return s.getLocalPort();
        }
    }
}
