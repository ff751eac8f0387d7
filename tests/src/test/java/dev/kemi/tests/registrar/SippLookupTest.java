package dev.kemi.tests.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.tests.Kamailio;
import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.db.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A SIPp UAS is the registered phone: a SIPp UAC calls it by its AoR through the proxy, which
 * finds it with lookup(); the whole call (INVITE, 200, ACK, BYE) completes, on Kamailio 5.6.3
 * and on us.
 */
class SippLookupTest {
    private static final Path SIPP = Path.of("/usr/bin/sipp");

    @ParameterizedTest
    @ValueSource(strings = {"kamailio", "ours"})
    void callReachesTheRegisteredSippUas(String which) throws Exception {
        TestDatabases.requirePeer(Files.isExecutable(SIPP), "sipp is not installed");
        boolean kam = which.equals("kamailio");
        if (kam) TestDatabases.requirePeer(Kamailio.installed(), "kamailio 5.6.3 is not installed");
        String ip = kam ? "127.0.14.110" : "127.0.14.111";
        String uasIp = kam ? "127.0.14.112" : "127.0.14.113";
        int uasPort = 5099;
        Path dir = Files.createTempDirectory("kemi-reg-sipp");
        AutoCloseable proxy = kam ? Proxies.kamailio(RegScripts.NATIVE, ip, null, 0, "") : Proxies.ours(RegScripts.NATIVE, ip, null, 0, "");
        try (proxy) {
            // the REGISTER leaves from the UAS's own address, so received points at it
            try (Phone reg = new Phone(uasIp, uasPort)) {
                reg.awaitAnswering(Proxies.sip(ip));
                String r = reg.request(Proxies.sip(ip), reg.register("alice", ip, "reg-sipp", 1, 3600,
                        "Contact: <sip:alice@" + uasIp + ":" + uasPort + ">"));
                assertTrue(r != null && r.startsWith("SIP/2.0 200"), String.valueOf(r));
            }
            Process uas = sipp(dir, "uas", "-sn", "uas", "-i", uasIp, "-p", Integer.toString(uasPort));
            Process uac = sipp(dir, "uac", "-sn", "uac", ip + ":5060", "-s", "alice", "-i", "127.0.14.114", "-p", "0");
            try {
                assertTrue(uac.waitFor(30, TimeUnit.SECONDS), "uac finished");
                assertEquals(0, uac.exitValue(), "uac: " + Files.readString(dir.resolve("uac.log")));
                assertTrue(uas.waitFor(30, TimeUnit.SECONDS), "uas finished");
                assertEquals(0, uas.exitValue(), "uas: " + Files.readString(dir.resolve("uas.log")));
            } finally {
                uac.destroyForcibly();
                uas.destroyForcibly();
            }
        }
    }

    private static Process sipp(Path dir, String name, String... args) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of(SIPP.toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-m", "1", "-nostdin", "-cp", Integer.toString(ProxyUnderTest.freePort()), "-timeout", "20s",
                "-timeout_error", "-trace_err", "-error_file", dir.resolve(name + ".errors").toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
    }
}
