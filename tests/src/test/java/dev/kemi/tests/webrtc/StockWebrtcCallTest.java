package dev.kemi.tests.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kemi.tests.IsolatedJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 19's done-when on Debian's stock kamailio.cfg: the stock file with WITH_AUTH, WITH_NAT,
 * WITH_RTPENGINE, WITH_TLS and the WebSocket settings of Kamailio's WebRTC example
 * ({@link StockWebrtcConfig}), subscribers in SQLite made by {@code kemi db}. A JsSIP phone in
 * headless chromium registers over WSS with digest auth and calls a baresip phone registered over
 * UDP with digest auth, media DTLS-SRTP/ICE <-> RTP through rtpengine, each side hanging up once
 * ({@link WebrtcCallRun} in a namespace with only lo), then a baresip over TLS registers and calls
 * the desk phone; first on Kamailio 5.6.3, then the same
 * files on our proxy, which must show the same SIP first lines on both legs' wire.
 */
class StockWebrtcCallTest {
    @BeforeAll
    static void peers() throws Exception {
        WebrtcCallTest.peers();
        dev.kemi.tests.db.TestDatabases.requirePeer(Files.isRegularFile(StockWebrtcConfig.STOCK) && Files.isRegularFile(StockWebrtcConfig.GUIDE),
                "Debian's kamailio.cfg and the webrtc example (kamailio package docs) not installed");
    }

    @Test
    void stockConfigWithWebrtcGuideBehavesAsOnKamailio() throws Exception {
        long t0 = System.nanoTime();
        List<String> theirs = run("kamailio");
        long t1 = System.nanoTime();
        List<String> ours = run("kemi");
        long t2 = System.nanoTime();
        System.out.printf("stock WebRTC call: kamailio %d ms, kemi %d ms%n", TimeUnit.NANOSECONDS.toMillis(t1 - t0), TimeUnit.NANOSECONDS.toMillis(t2 - t1));
        System.out.println("SIP on the wire, Kamailio 5.6.3:\n  " + String.join("\n  ", theirs) + "\nours:\n  " + String.join("\n  ", ours));
        assertEquals(comparable(theirs), comparable(ours), "SIP first lines on the wire, Kamailio 5.6.3 vs ours");
    }

    /**
     * Sorted, without the 18x relayed to the browser: baresip sends 180 and 200 within a millisecond,
     * and Kamailio's UDP workers may relay the 200 first, after which tm drops the 180 (seen here under load).
     */
    private static String comparable(List<String> wire) {
        return String.join("\n", wire.stream().filter(l -> !l.matches("ws-\\S+ in 18\\d .*")).sorted().toList());
    }

    /** One run; the SIP first lines it saw on the wire. */
    private static List<String> run(String target) throws Exception {
        Path dir = Files.createTempDirectory("kemi-stock-webrtc-" + target);
        Path log = dir.resolve("run.log");
        // the namespace's ephemeral ports stay out of baresip's RTP range
        Process p = IsolatedJvm.start("echo '50000 60999' > /proc/sys/net/ipv4/ip_local_port_range", List.of("-Xmx700m"), log,
                WebrtcCallRun.class.getName(), List.of(target, dir.toString(), WebrtcCallTest.DRIVER.toString(), "stock"));
        try {
            if (!p.waitFor(4, TimeUnit.MINUTES)) throw new AssertionError("the WebRTC run took over 4 minutes: " + WebrtcCallRun.tail(log));
            assertEquals(0, p.exitValue(), () -> "the stock-cfg WebRTC run on " + target + " failed (files in " + dir + "): " + WebrtcCallRun.tail(log));
            List<String> wire = Files.readAllLines(dir.resolve("wire.txt"));
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
            return wire;
        } finally {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
    }
}
