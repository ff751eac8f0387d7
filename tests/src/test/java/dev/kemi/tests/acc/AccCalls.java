package dev.kemi.tests.acc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kemi.tests.LocalSockets;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The acc tests' SIPp calls through a proxy: one answered and hung up (INVITE/200/ACK/BYE), one
 * the callee rejects with 486, each complete before the next. Fixed tags and Call-IDs, so two
 * proxies' records can be compared field by field.
 */
record AccCalls(String uac, String uasAnswer, String uasBusy) {
    static final Path RESOURCES = Path.of(System.getProperty("kemi.root", "..")).resolve("tests/src/test/resources/acc")
            .toAbsolutePath().normalize();

    static boolean sippInstalled() {
        return Files.isExecutable(Path.of("/usr/bin/sipp"));
    }

    void both(Path d, String proxy) throws Exception {
        answered(d, proxy);
        busy(d, proxy);
    }

    void answered(Path d, String proxy) throws Exception {
        call(d, proxy, "answered", "uas_answer.xml", uasAnswer, "uac.xml");
    }

    void busy(Path d, String proxy) throws Exception {
        call(d, proxy, "busy", "uas_busy.xml", uasBusy, "uac_busy.xml");
    }

    private void call(Path d, String proxy, String name, String uasXml, String uasIp, String uacXml) throws Exception {
        Process uas = sipp(d, name + "-uas", "-sf", RESOURCES.resolve(uasXml).toString(), "-i", uasIp, "-p", "5060", "-m", "1");
        try {
            InetSocketAddress ua = new InetSocketAddress(uasIp, 5060);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!LocalSockets.udpBound(ua)) {
                if (!uas.isAlive() || System.nanoTime() > deadline) fail("SIPp UAS did not bind " + ua + ": " + out(d, name + "-uas"));
                Thread.sleep(20); // polling another process's bind: nothing to await
            }
            Process c = sipp(d, name + "-uac", "-sf", RESOURCES.resolve(uacXml).toString(), "-i", uac, "-p", "5060", "-m", "1",
                    "-s", "bob", "-cid_str", "acc-" + name + "-%u@acc.test", "-rsa", proxy + ":5060", uasIp + ":5060");
            assertTrue(c.waitFor(60, TimeUnit.SECONDS), name + " UAC did not end");
            assertEquals(0, c.exitValue(), name + " UAC failed via " + proxy + ": " + out(d, name + "-uac"));
            assertTrue(uas.waitFor(30, TimeUnit.SECONDS), name + " UAS did not end");
            assertEquals(0, uas.exitValue(), name + " UAS failed via " + proxy + ": " + out(d, name + "-uas"));
        } finally {
            uas.destroyForcibly();
        }
    }

    private static Process sipp(Path d, String name, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/sipp", "-nostdin", "-timeout", "30s", "-timeout_error",
                "-cp", "0", "-trace_err", "-error_file", d.resolve(name + ".errors").toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(d.resolve(name + ".out").toFile()).start();
    }

    private static String out(Path d, String name) throws IOException {
        Path f = d.resolve(name + ".out");
        return Files.exists(f) ? Files.readString(f) : "";
    }
}
