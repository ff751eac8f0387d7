package dev.kemi.tests.rtpengine;

import dev.kemi.tests.db.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Debian's rtpengine-daemon started by a test on one loopback address: userspace forwarding
 * only (--table=-1), its ng control socket and a media port range of its own, no config file,
 * stopped by pid. Missing, the test is skipped (fails under CI=true).
 */
public final class RtpengineDaemon implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/rtpengine");

    final String host;
    final int ngPort;
    final int portMin;
    final int portMax;
    private final Process process;
    private final Path log;
    private final java.util.concurrent.atomic.AtomicInteger cookies = new java.util.concurrent.atomic.AtomicInteger();

    private RtpengineDaemon(String host, int ngPort, int portMin, int portMax, Process process, Path log) {
        this.host = host;
        this.ngPort = ngPort;
        this.portMin = portMin;
        this.portMax = portMax;
        this.process = process;
        this.log = log;
    }

    /** Started and answering ng pings. */
    public static RtpengineDaemon start(String host, Path dir) {
        TestDatabases.requirePeer(Files.isExecutable(BINARY), "rtpengine (rtpengine-daemon) not installed");
        int ngPort = freeUdpPort(host);
        // even base in 30000-39999, 200 ports: RTP + RTCP for a few calls
        int portMin = 30000 + 2 * ThreadLocalRandom.current().nextInt(4900);
        int portMax = portMin + 199;
        Path log = dir.resolve("rtpengine.log");
        try {
            Process p = new ProcessBuilder(BINARY.toString(), "--config-file=none", "--foreground", "--log-stderr",
                    "--table=-1", "--no-fallback", "--interface=" + host, "--listen-ng=" + host + ":" + ngPort,
                    "--port-min=" + portMin, "--port-max=" + portMax, "--delete-delay=0", "--log-level=6")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            RtpengineDaemon d = new RtpengineDaemon(host, ngPort, portMin, portMax, p, log);
            d.awaitPong();
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "udp:host:port" for rtpengine_sock. */
    public String sock() {
        return "udp:" + host + ":" + ngPort;
    }

    private void awaitPong() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("rtpengine exited: " + logText());
            }
            String cookie = cookie();
            String reply = ng(cookie + " d7:command4:pinge", 200);
            if (reply != null && reply.equals(cookie + " d6:result4:ponge")) {
                return;
            }
        }
        throw new AssertionError("rtpengine does not answer ng pings: " + logText());
    }

    /** One raw ng exchange (cookie included), or null without a reply within the time. */
    String ng(String datagram, int timeoutMillis) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(host, 0))) {
            byte[] out = datagram.getBytes(StandardCharsets.ISO_8859_1);
            s.send(new DatagramPacket(out, out.length, new InetSocketAddress(host, ngPort)));
            s.setSoTimeout(timeoutMillis);
            byte[] in = new byte[65536];
            DatagramPacket p = new DatagramPacket(in, in.length);
            s.receive(p);
            return new String(in, 0, p.getLength(), StandardCharsets.ISO_8859_1);
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** rtpengine's "list" command: the call-ids it holds, as its bencoded reply. */
    String list() {
        return ng(cookie() + " d7:command4:liste", 2000);
    }

    public String logText() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** A fresh cookie each time: rtpengine answers a repeated one from its cache. */
    private String cookie() {
        return "t" + cookies.incrementAndGet();
    }

    private static int freeUdpPort(String host) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(host, 0))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        ProcessHandle h = process.toHandle();
        h.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                h.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
