package dev.kemi.tests.hostile;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kemi.tests.ProxyUnderTest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 part 9: a proxy process (the launcher's JVM settings) under a TCP peer that sends
 * requests and never reads, and a flood of 60 KB UDP datagrams, keeps its resident memory under
 * a bound and serves an honest SIPp caller throughout (every call completes). Loopback only,
 * bounded in time (20 s of attack) and in calls (300).
 */
@Timeout(180)
class HostilePeersLoadTest {
    private static final String PROXY_IP = "127.0.18.7";
    private static final String SIPP_IP = "127.0.18.8";
    private static final Path SIPP = Path.of("/usr/bin/sipp");
    /**
     * Resident memory the proxy may use at most while attacked, with a 512 MB heap: before the
     * bounds, the unread replies alone took 1.9 GB of direct memory and the flood's queues 1.1 GB
     * of heap (OutOfMemoryError, and with -XX:+ExitOnOutOfMemoryError the process ends).
     */
    private static final long RSS_BOUND_MB = 800;
    private static final int CALLS = 150;
    private static final int RATE = 15;

    @TempDir
    Path dir;

    @Test
    void rssStaysBoundedAndAnHonestCallerIsServedWhileHostilePeersRun() throws Exception {
        if (!Files.isExecutable(SIPP)) {
            if ("true".equals(System.getenv("CI"))) fail("sipp missing under CI");
            assumeTrue(false, "sipp not installed");
        }
        int port = ProxyUnderTest.freePort();
        Path cfg = dir.resolve("kamailio.cfg");
        Files.writeString(cfg, """
                listen=udp:%1$s:%2$d
                listen=tcp:%1$s:%2$d
                children=2
                loadmodule "tm.so"
                loadmodule "sl.so"
                loadmodule "textops.so"
                request_route {
                    if (is_method("OPTIONS") && uri == myself) {
                        sl_send_reply("200", "OK");
                        exit;
                    }
                    t_relay();
                }
                """.formatted(PROXY_IP, port));
        Process proxy = startProxy(cfg);
        List<Process> sipps = new ArrayList<>();
        AtomicBoolean attacking = new AtomicBoolean(true);
        List<Thread> attackers = new ArrayList<>();
        try {
            InetSocketAddress addr = new InetSocketAddress(PROXY_IP, port);
            awaitReady(proxy, addr);
            long rssBefore = rssMb(proxy.pid());
            AtomicLong tcpClosed = new AtomicLong();
            AtomicLong floodSent = new AtomicLong();
            attackers.add(Thread.ofPlatform().daemon().start(() -> nonReader(addr, attacking, tcpClosed)));
            attackers.add(Thread.ofPlatform().daemon().start(() -> flooder(addr, attacking, floodSent)));

            int uasPort = ProxyUnderTest.freePort();
            Process uas = sipp("uas", "-sn", "uas", "-i", SIPP_IP, "-p", Integer.toString(uasPort));
            sipps.add(uas);
            Process uac = sipp("uac", "-sn", "uac", "-i", SIPP_IP, "-p", Integer.toString(ProxyUnderTest.freePort()),
                    "-rsa", PROXY_IP + ":" + port, "-s", "honest", "-m", Integer.toString(CALLS), "-r", Integer.toString(RATE),
                    "-timeout", "90s", "-timeout_error", SIPP_IP + ":" + uasPort);
            sipps.add(uac);

            long rssMax = rssBefore;
            while (uac.isAlive()) {
                rssMax = Math.max(rssMax, rssMb(proxy.pid()));
                assertTrue(proxy.isAlive(), "the proxy process died");
                uac.waitFor(200, TimeUnit.MILLISECONDS);
            }
            attacking.set(false);
            System.out.printf("MEASURE RSS before %d MB, max under attack %d MB; non-reading TCP connections closed %d;"
                    + " 60 KB datagrams sent %d%n", rssBefore, rssMax, tcpClosed.get(), floodSent.get());
            // SIPp exits 0 when every call completed, 1 when some failed. A UDP flood on two shared
            // cores costs the odd honest datagram in the kernel's socket buffer before any proxy
            // sees it: the bound is on memory and on serving the honest peer, not on zero loss.
            String uacOut = Files.readString(dir.resolve("uac.out"));
            long aborted = uacOut.lines().filter(l -> l.contains("Aborting call")).count();
            assertTrue(uac.exitValue() == 0 || (uac.exitValue() == 1 && aborted <= CALLS / 20),
                    "the honest calls completed (at most 5 % lost to the flood): " + uacOut);
            assertTrue(tcpClosed.get() >= 1, "the non-reading peer's connection was closed");
            assertTrue(rssMax < RSS_BOUND_MB, "RSS " + rssMax + " MB under attack (bound " + RSS_BOUND_MB + " MB)");
        } finally {
            attacking.set(false);
            for (Thread t : attackers) t.join(5000);
            for (Process p : sipps) stop(p);
            stop(proxy);
        }
    }

    /** The proxy as `kemi run` starts it, with the launcher's JVM settings but a 512 MB heap. */
    private Process startProxy(Path cfg) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-XX:+UseG1GC", "-Xms64m", "-Xmx512m", "-XX:GCTimeRatio=4",
                "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30", "-XX:MaxGCPauseMillis=20",
                "-XX:MaxTenuringThreshold=0", "-XX:+ExitOnOutOfMemoryError", "-Dio.netty.leakDetection.level=disabled",
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-cp", System.getProperty("java.class.path"), "dev.kemi.runtime.cli.Main", "run", "-f", cfg.toString(), "--rpc-listen=off")
                .redirectErrorStream(true).redirectOutput(dir.resolve("proxy.out").toFile()).start();
    }

    private Process sipp(String name, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(SIPP.toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-nostdin", "-trace_err", "-error_file", dir.resolve(name + ".errors").toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".out").toFile()).start();
    }

    private static void stop(Process p) throws InterruptedException {
        if (!p.isAlive()) return;
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
    }

    private void awaitReady(Process proxy, InetSocketAddress addr) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(SIPP_IP), 0))) {
            s.setSoTimeout(250);
            byte[] m = options(addr.getPort(), s.getLocalPort(), "UDP", "ready", 0);
            while (System.nanoTime() < deadline) {
                if (!proxy.isAlive()) fail("proxy exited: " + Files.readString(dir.resolve("proxy.out")));
                s.send(new DatagramPacket(m, m.length, addr));
                try {
                    s.receive(new DatagramPacket(new byte[4096], 4096));
                    return;
                } catch (SocketTimeoutException notYet) {
                    // still starting
                }
            }
        }
        fail("proxy did not answer OPTIONS within 60 s");
    }

    /** An OPTIONS for the proxy itself (answered statelessly by the cfg). */
    private static byte[] options(int port, int localPort, String proto, String callId, int cseq) {
        return ("OPTIONS sip:" + PROXY_IP + ":" + port + " SIP/2.0\r\nVia: SIP/2.0/" + proto + " 127.0.18.9:" + localPort
                + ";branch=z9hG4bK" + callId + cseq + "\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:" + PROXY_IP + ">\r\nCall-ID: "
                + callId + "\r\nCSeq: " + cseq + " OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends requests on a connection it never reads; reconnects when the proxy closes it. */
    private static void nonReader(InetSocketAddress addr, AtomicBoolean on, AtomicLong closed) {
        int n = 0;
        while (on.get()) {
            try (Socket s = new Socket()) {
                s.setReceiveBufferSize(4096);
                s.bind(new InetSocketAddress(InetAddress.getByName("127.0.18.9"), 0));
                s.connect(addr, 5000);
                OutputStream out = s.getOutputStream();
                while (on.get()) out.write(options(addr.getPort(), s.getLocalPort(), "TCP", "nr-" + n, n++));
            } catch (IOException e) {
                if (on.get()) closed.incrementAndGet();
            }
        }
    }

    /**
     * 60 KB OPTIONS datagrams, about 500 a second (30 MB/s). An unpaced sender on loopback (7000
     * a second, 440 MB/s, from one of the two cores) overflows the kernel's socket buffers, and the
     * honest peer's datagrams are lost there, before any proxy sees them (Kamailio's too).
     */
    private static void flooder(InetSocketAddress addr, AtomicBoolean on, AtomicLong sent) {
        String body = "x".repeat(60_000);
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.18.10"), 0))) {
            for (int i = 0; on.get(); i++) {
                byte[] m = ("OPTIONS sip:" + PROXY_IP + ":" + addr.getPort() + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.18.10:" + s.getLocalPort()
                        + ";branch=z9hG4bKflood" + i + "\r\nFrom: <sip:f@b>;tag=1\r\nTo: <sip:" + PROXY_IP + ">\r\nCall-ID: flood-"
                        + i + "\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                        .getBytes(StandardCharsets.US_ASCII);
                s.send(new DatagramPacket(m, m.length, addr));
                sent.incrementAndGet();
                if (i % 3 == 2) Thread.sleep(10); // pacing of the flood (~300/s, 18 MB/s), not synchronisation
            }
        } catch (IOException e) {
            // the flood ends with the test
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long rssMb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
        return 0;
    }
}
