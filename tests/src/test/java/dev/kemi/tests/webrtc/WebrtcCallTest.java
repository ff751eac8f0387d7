package dev.kemi.tests.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kemi.tests.IsolatedJvm;
import dev.kemi.tests.Kamailio;
import dev.kemi.tests.db.TestDatabases;
import dev.kemi.tests.peers.Baresip;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A browser phone calls a desk phone (issue 19): headless chromium running JsSIP over WSS with
 * digest auth, baresip over UDP, media DTLS-SRTP/ICE <-> RTP through Debian's rtpengine-daemon,
 * each side hanging up once; first on Kamailio 5.6.3, then the same cfg on our proxy. Each run is
 * a child JVM ({@link WebrtcCallRun}) in a network namespace with only lo, where a capture of
 * non-loopback traffic must stay empty. The driver's npm packages (pinned, package-lock.json)
 * are installed with {@code npm ci} when missing.
 */
class WebrtcCallTest {
    static final Path DRIVER = Path.of("src/test/webrtc").toAbsolutePath();

    @BeforeAll
    static void peers() throws Exception {
        TestDatabases.requirePeer(Files.isExecutable(Path.of("/usr/bin/chromium")), "chromium not installed");
        TestDatabases.requirePeer(Files.isExecutable(Path.of("/usr/bin/node")) && Files.isExecutable(Path.of("/usr/bin/npm")), "node/npm not installed");
        TestDatabases.requirePeer(Files.isExecutable(Path.of("/usr/bin/rtpengine")), "rtpengine (rtpengine-daemon) not installed");
        TestDatabases.requirePeer(Files.isExecutable(Path.of("/usr/bin/tcpdump")) || Files.isExecutable(Path.of("/usr/sbin/tcpdump")), "tcpdump not installed");
        TestDatabases.requirePeer(Baresip.installed(), "baresip not installed");
        TestDatabases.requirePeer(Kamailio.installed() && Files.isRegularFile(Kamailio.MODULES.resolve("websocket.so"))
                && Files.isRegularFile(Kamailio.MODULES.resolve("tls.so")), "kamailio with kamailio-tls-modules and kamailio-websocket-modules not installed");
        if (!Files.isDirectory(DRIVER.resolve("node_modules/puppeteer-core")) || !Files.isDirectory(DRIVER.resolve("node_modules/jssip"))) {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(DRIVER.toFile()).redirectErrorStream(true).start();
            String out = new String(npm.getInputStream().readAllBytes());
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) throw new AssertionError("npm ci in " + DRIVER + " failed: " + out);
        }
    }

    @Test
    void browserCallsDeskPhoneThroughKamailio() throws Exception {
        run("kamailio");
    }

    @Test
    void browserCallsDeskPhoneThroughKemiProxy() throws Exception {
        run("kemi");
    }

    private static void run(String target) throws Exception {
        Path dir = Files.createTempDirectory("kemi-webrtc-" + target);
        Path log = dir.resolve("run.log");
        // the namespace's ephemeral ports stay out of baresip's RTP range
        Process p = IsolatedJvm.start("echo '50000 60999' > /proc/sys/net/ipv4/ip_local_port_range", List.of("-Xmx700m"), log,
                WebrtcCallRun.class.getName(), List.of(target, dir.toString(), DRIVER.toString()));
        try {
            if (!p.waitFor(4, TimeUnit.MINUTES)) throw new AssertionError("the WebRTC run took over 4 minutes: " + WebrtcCallRun.tail(log));
            assertEquals(0, p.exitValue(), () -> "the WebRTC run on " + target + " failed (files in " + dir + "): " + WebrtcCallRun.tail(log));
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        } finally {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
    }
}
