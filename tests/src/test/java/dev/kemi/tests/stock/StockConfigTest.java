package dev.kemi.tests.stock;

import dev.kemi.tests.control.Peers;
import dev.kemi.tests.db.TestDatabases;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kemi.runtime.boot.ProxyLoader;
import dev.kemi.runtime.core.SipProxy;
import dev.kemi.tests.Kamailio;
import dev.kemi.tests.KemiCli;
import dev.kemi.tests.peers.Baresip;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 15's done-when: Debian's stock /etc/kamailio/kamailio.cfg, unchanged, with a
 * kamailio-local.cfg next to a copy of it (WITH_AUTH, WITH_USRLOCDB, WITH_JSONRPC, DBURL on
 * SQLite), on a database made by `kemi db init` / `kemi db add`. Two baresip phones register
 * with digest auth (a wrong password does not), call each other with media both ways, the caller
 * hangs up; the real kamcmd lists both in ul.dump over the ctl socket; JSON-RPC core.version over
 * HTTP on the SIP port answers. The same steps run against Kamailio 5.6.3 on the same files and
 * must give the same outcomes.
 */
class StockConfigTest {
    static final Path STOCK = Path.of("/etc/kamailio/kamailio.cfg");
    static final String OURS = "127.0.21.1", THEIRS = "127.0.21.2";
    private static final List<Path> dirs = new ArrayList<>();

    /** What the scenario observed, compared between us and Kamailio. */
    record Outcome(String wrongPassword, boolean bothRegistered, boolean established, boolean mediaBothWays,
            boolean bothClosed, boolean ulDumpListsBoth, Set<String> ulDumpMembers, boolean rpcVersionResult) {}

    @BeforeAll
    static void peers() {
        TestDatabases.requirePeer(Files.isRegularFile(STOCK), STOCK.toString());
        TestDatabases.requirePeer(Baresip.installed(), "baresip (with ctrl_tcp)");
        TestDatabases.requirePeer(Files.isExecutable(Path.of("/usr/sbin/kamcmd")), "kamcmd");
        TestDatabases.requirePeer(Files.isExecutable(Path.of("/usr/bin/curl")), "curl");
    }

    @AfterAll
    static void cleanUp() {
        for (Path d : dirs) {
            try (Stream<Path> s = Files.walk(d)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // temp files: best effort
            }
        }
    }

    @Test
    void stockConfigRunsHereAsOnKamailio() throws Exception {
        long t0 = System.nanoTime();
        Path dir = setUp(OURS);
        Outcome ours;
        try (SipProxy proxy = SipProxy.start(ProxyLoader.proxyConfig(
                ProxyLoader.load(dir.resolve("kamailio.cfg"), Set.of()), Map.of("rundir", dir.toString())))) {
            ours = scenario(OURS, dir, "127.0.21.1");
        }
        System.out.println("stock cfg on kemi: " + ours + " in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
        assertEquals("401", ours.wrongPassword());
        assertTrue(ours.mediaBothWays() && ours.ulDumpListsBoth(), ours.toString());
        assertTrue(ours.rpcVersionResult(), ours.toString());

        if (!Kamailio.installed()) {
            TestDatabases.requirePeer(false, "kamailio 5.6.3");
            return;
        }
        long t1 = System.nanoTime();
        Path kdir = setUp(THEIRS);
        Outcome theirs;
        try (Kamailio k = Kamailio.start(kdir.resolve("kamailio.cfg"), kdir, 64)) {
            Peers.await(() -> Files.exists(kdir.resolve("kamailio_ctl")) || !k.isAlive(), Duration.ofSeconds(30), "Kamailio's ctl socket");
            assertTrue(k.isAlive(), () -> "kamailio exited: " + k.log());
            theirs = scenario(THEIRS, kdir, "127.0.21.2");
        }
        System.out.println("stock cfg on kamailio: " + theirs + " in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1) + " ms");
        assertEquals(theirs, ours);
    }

    /** A temp dir with a byte-for-byte copy of the stock cfg, the local cfg and a provisioned SQLite db. */
    private static Path setUp(String ip) throws IOException {
        Path dir = Files.createTempDirectory("kemi-stock");
        dirs.add(dir);
        Files.copy(STOCK, dir.resolve("kamailio.cfg"));
        String url = "sqlite:///" + dir.resolve("kamailio.sqlite");
        Files.writeString(dir.resolve("kamailio-local.cfg"), String.join("\n",
                "#!define WITH_AUTH",
                "#!define WITH_USRLOCDB",
                "#!define WITH_JSONRPC",
                "#!define DBURL \"" + url + "\"",
                "loadmodule \"db_sqlite.so\"",
                "listen=udp:" + ip + ":5060",
                "listen=tcp:" + ip + ":5060",
                ""));
        cli("db", "init", url);
        cli("db", "add", "alice", ip, "alice-pw", "--url", url);
        cli("db", "add", "bob", ip, "bob-pw", "--url", url);
        return dir;
    }

    private static void cli(String... args) {
        KemiCli.Result r = KemiCli.run(args);
        assertEquals(0, r.exitCode(), () -> "kemi " + String.join(" ", args) + ": " + r.out() + r.err());
    }

    /** The done-when steps against the proxy on {@code ip}:5060 with its ctl socket in {@code rundir}; phones on 127.0.21.1x. */
    private static Outcome scenario(String ip, Path rundir, String tag) {
        String phones = ip.equals(OURS) ? "127.0.21.1" : "127.0.21.2";
        Path dir = rundir.resolve("phones");
        String wrong;
        try (Baresip mallory = Baresip.start(dir.resolve("mallory"), phones + "2", 5070, "sip:alice@" + ip, "guess", "")) {
            JsonNode r = mallory.awaitEvent(e -> Set.of("REGISTER_FAIL", "REGISTER_OK").contains(e.path("type").asText()),
                    "a REGISTER outcome", Duration.ofSeconds(20));
            wrong = r.path("type").asText().equals("REGISTER_OK") ? "registered" : r.path("param").asText().split(" ")[0];
        }
        try (Baresip bob = Baresip.start(dir.resolve("bob"), phones + "1", 5072, "sip:bob@" + ip, "bob-pw", "");
                Baresip alice = Baresip.start(dir.resolve("alice"), phones + "0", 5074, "sip:alice@" + ip, "alice-pw", "")) {
            bob.awaitEvent("REGISTER_OK", Duration.ofSeconds(20));
            alice.awaitEvent("REGISTER_OK", Duration.ofSeconds(20));
            String ul = Peers.kamcmd(rundir.resolve("kamailio_ctl"), "ul.dump");
            // baresip's contact user is "alice-0x...": match the AoR and the contact's host:port
            boolean ulBoth = ul.contains("AoR: alice\n") && ul.contains("@" + phones + "0:5074")
                    && ul.contains("AoR: bob\n") && ul.contains("@" + phones + "1:5072");
            assertTrue(ulBoth, tag + " ul.dump:\n" + ul);
            String version = rpcVersion(ip);
            // ours names itself: "kemi 0.1.0 (x86_64/linux) kamailio 5.6.3 compatible"
            boolean rpc = version.startsWith("kamailio 5.6.3") || version.startsWith("kemi ") && version.endsWith("kamailio 5.6.3 compatible");
            assertTrue(rpc, tag + " core.version: " + version);
            alice.dial("sip:bob@" + ip);
            bob.awaitEvent("CALL_INCOMING", Duration.ofSeconds(20));
            bob.accept();
            alice.awaitEvent("CALL_ESTABLISHED", Duration.ofSeconds(20));
            bob.awaitEvent("CALL_ESTABLISHED", Duration.ofSeconds(20));
            JsonNode a = alice.awaitMediaBothWays(Duration.ofSeconds(30));
            JsonNode b = bob.awaitMediaBothWays(Duration.ofSeconds(30));
            boolean media = a.path("rtcp_stats").path("rx").path("sent").asLong() > 0 && b.path("rtcp_stats").path("rx").path("sent").asLong() > 0;
            alice.hangup();
            alice.awaitEvent("CALL_CLOSED", Duration.ofSeconds(15));
            bob.awaitEvent("CALL_CLOSED", Duration.ofSeconds(15));
            assertFalse(alice.eventTypes().isEmpty());
            return new Outcome(wrong, true, true, media, true, ulBoth, members(ul), rpc);
        }
    }

    /** The member names kamcmd prints ("AoR", "Contacts" ...): the output's shape without values. */
    private static Set<String> members(String kamcmdOut) {
        Set<String> names = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\\t*([\\w-]+):").matcher(kamcmdOut);
        while (m.find()) names.add(m.group(1));
        return names;
    }

    /** core.version's result over HTTP; curl from 127.0.0.1, as the stock xhttp route answers 403 to any other source. */
    private static String rpcVersion(String ip) {
        String out = Peers.run(List.of("curl", "-s", "--max-time", "10", "--interface", "127.0.0.1", "-H", "Content-Type: application/json",
                "-d", "{\"jsonrpc\":\"2.0\",\"method\":\"core.version\",\"id\":1}", "http://" + ip + ":5060/RPC"));
        try {
            String result = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out).path("result").asText("");
            return result.isEmpty() ? "no result: " + out : result;
        } catch (IOException e) {
            return "not JSON: " + out;
        }
    }



}
