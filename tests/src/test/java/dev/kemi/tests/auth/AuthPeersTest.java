package dev.kemi.tests.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.auth.AuthServers.FrontEnd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real user agents register with digest auth through auth.cfg (auth_db on SQLite): sipsak and
 * SIPp's [authentication]; the wire as they traced it.
 */
class AuthPeersTest {
    static final String PROXY = "127.0.15.4", PEER = "127.0.15.5";
    private static Path dir;
    private static ProxyUnderTest proxy;

    @BeforeAll
    static void start() throws Exception {
        Required.peer(SubscriberDb.schemaInstalled(), "Kamailio's db_sqlite schema (/usr/share/kamailio/db_sqlite)");
        dir = Files.createTempDirectory("kemi-auth-peers");
        Path db = dir.resolve("kamailio.db");
        SubscriberDb.create(db);
        SubscriberDb.add(db, "alice", PROXY, "alice-pw");
        proxy = AuthServers.ours(FrontEnd.NATIVE, PROXY, "sqlite:///" + db);
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) proxy.close();
        if (dir != null) try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private record Run(int exit, String out) {}

    private static Run run(List<String> cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "peer", ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(cmd + " did not finish: " + Files.readString(out));
        }
        return new Run(p.exitValue(), Files.readString(out));
    }

    private static Run sipsak(String password, String... extra) throws Exception {
        Required.peer(Files.isExecutable(Path.of("/usr/bin/sipsak")), "sipsak");
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/sipsak", "-U", "-s", "sip:alice@" + PROXY, "-H", PEER,
                "-C", "sip:alice@" + PEER + ":5099", "-a", password, "-u", "alice", "-vvv"));
        cmd.addAll(List.of(extra));
        return run(cmd);
    }

    private static List<String> statusLines(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^SIP/2\\.0 (\\d{3} [^\\r\\n]*)").matcher(text);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    @Test
    void sipsakRegistersWithTheRightPassword() throws Exception {
        Run r = sipsak("alice-pw", "-j", "X-Qop: auth");
        assertEquals(0, r.exit(), r.out());
        List<String> st = statusLines(r.out());
        assertEquals("401 Unauthorized", st.getFirst(), r.out());
        assertTrue(st.contains("200 OK"), r.out());
        assertTrue(Pattern.compile("WWW-Authenticate: Digest realm=\"127\\.0\\.15\\.4\", nonce=\"[A-Za-z0-9+/=]{40}\", qop=\"auth\"\\r?\\n").matcher(r.out()).find(), r.out());
        assertTrue(r.out().contains("X-Auth: alice 127.0.15.4 sip:127.0.15.4 1 alice"), r.out());
    }

    @Test
    void sipsakWithAWrongPasswordIsRefused() throws Exception {
        Run r = sipsak("wrong");
        assertNotEquals(0, r.exit(), r.out());
        List<String> st = statusLines(r.out());
        assertTrue(st.size() >= 2 && st.stream().allMatch(s -> s.equals("401 Unauthorized")), r.out());
        assertTrue(r.out().contains("X-Rc: -2"), r.out());
    }

    private static Run sipp(String password, String qop, String finalCode) throws Exception {
        Required.peer(Files.isExecutable(Path.of("/usr/bin/sipp")), "sipp");
        String scenario = Files.readString(AuthServers.RESOURCES.resolve("register.xml"))
                .replace("{password}", password).replace("{qop}", qop).replace("{final}", finalCode);
        Path sf = Files.writeString(dir.resolve("register-" + qop + "-" + finalCode + ".xml"), scenario);
        Path trace = dir.resolve("register-" + qop + "-" + finalCode + ".trace");
        Run r = run(List.of("/usr/bin/sipp", PROXY + ":5060", "-sf", sf.toString(), "-i", PEER, "-p", "0", "-m", "1",
                "-nostdin", "-timeout", "20s", "-timeout_error", "-trace_msg", "-message_file", trace.toString()));
        return new Run(r.exit(), Files.exists(trace) ? Files.readString(trace) : r.out());
    }

    @Test
    void sippAuthenticatesWithQopAuth() throws Exception {
        Run r = sipp("alice-pw", "auth", "200");
        assertEquals(0, r.exit(), r.out());
        assertEquals(List.of("401 Unauthorized", "200 OK"), statusLines(r.out()), r.out());
        assertTrue(Pattern.compile("Authorization: Digest [^\\r\\n]*qop=auth[,\\s]").matcher(r.out()).find(), r.out());
    }

    @Test
    void sippAuthenticatesWithQopAuthInt() throws Exception {
        Run r = sipp("alice-pw", "auth-int", "200");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("qop=\"auth-int\""), r.out());
        assertEquals(List.of("401 Unauthorized", "200 OK"), statusLines(r.out()), r.out());
    }

    @Test
    void sippWithAWrongPasswordGetsAnother401() throws Exception {
        Run r = sipp("nope", "auth", "401");
        assertEquals(0, r.exit(), r.out());
        assertEquals(List.of("401 Unauthorized", "401 Unauthorized"), statusLines(r.out()), r.out());
        assertTrue(r.out().contains("X-Rc: -2"), r.out());
    }
}
