package dev.kemi.tests.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kemi.tests.Kamailio;
import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.auth.AuthServers.FrontEnd;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The same auth.cfg (native, Python, JavaScript) and the same subscriber database on Kemi Proxy
 * and on Kamailio 5.6.3: every step of {@link AuthScenario} must come out the same (status,
 * reason, return code, challenge header apart from the nonce value).
 */
class AuthDifferentialTest {
    static final String OURS = "127.0.15.1", KAMAILIO = "127.0.15.3", PEER = "127.0.15.2";
    private static Path dir;
    private static Path db;

    @BeforeAll
    static void database() throws Exception {
        Required.peer(SubscriberDb.schemaInstalled(), "Kamailio's db_sqlite schema (/usr/share/kamailio/db_sqlite)");
        dir = Files.createTempDirectory("kemi-auth-diff");
        db = dir.resolve("kamailio.db");
        SubscriberDb.create(db);
        SubscriberDb.add(db, "alice", AuthScenario.DOMAIN, "alice-pw");
        SubscriberDb.add(db, "bob", AuthScenario.DOMAIN, "bob-pw");
    }

    @AfterAll
    static void clean() throws Exception {
        if (dir != null) try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @ParameterizedTest
    @EnumSource(FrontEnd.class)
    void sameOutcomesAsKamailio(FrontEnd fe) throws Exception {
        Required.peer(Kamailio.installed(), "kamailio 5.6.3");
        Path kdir = Files.createDirectories(dir.resolve("kamailio-" + fe));
        Map<String, String> theirs;
        try (Kamailio k = AuthServers.kamailio(fe, KAMAILIO, kdir, "sqlite:///" + db)) {
            theirs = AuthScenario.run(PEER, new InetSocketAddress(KAMAILIO, 5060));
        }
        Map<String, String> ours;
        try (ProxyUnderTest p = AuthServers.ours(fe, OURS, "sqlite:///" + db)) {
            ours = AuthScenario.run(PEER, new InetSocketAddress(OURS, 5060));
        }
        // Kamailio 5.6.3 checks auth-int responses against an uninitialised body hash (never accepted)
        String theirsAuthInt = theirs.remove(AuthScenario.AUTH_INT_STEP);
        String oursAuthInt = ours.remove(AuthScenario.AUTH_INT_STEP);
        System.out.println(fe + " Kamailio auth-int: " + theirsAuthInt + " / ours: " + oursAuthInt);
        System.out.println(String.join("\n", lines(ours)));
        assertEquals(String.join("\n", lines(theirs)), String.join("\n", lines(ours)));
    }

    @org.junit.jupiter.api.Test
    void sha256AsKamailio() throws Exception {
        Required.peer(Kamailio.installed(), "kamailio 5.6.3");
        Path kdir = Files.createDirectories(dir.resolve("kamailio-sha256"));
        Map<String, String> theirs, ours;
        try (Kamailio k = AuthServers.kamailio(FrontEnd.NATIVE, KAMAILIO, kdir, "sqlite:///" + db, "SHA256")) {
            theirs = AuthScenario.runSha256(PEER, new InetSocketAddress(KAMAILIO, 5060));
        }
        try (ProxyUnderTest p = AuthServers.ours(FrontEnd.NATIVE, OURS, "sqlite:///" + db, "SHA256")) {
            ours = AuthScenario.runSha256(PEER, new InetSocketAddress(OURS, 5060));
        }
        System.out.println(String.join("\n", lines(ours)));
        assertEquals(String.join("\n", lines(theirs)), String.join("\n", lines(ours)));
    }

    /** auth's and auth_db's other functions (native only: most have no KEMI export). */
    @org.junit.jupiter.api.Test
    void otherFunctionsAsKamailio() throws Exception {
        Required.peer(Kamailio.installed(), "kamailio 5.6.3");
        Path kdir = Files.createDirectories(dir.resolve("kamailio-functions"));
        String url = "sqlite:///" + db;
        Path cfg = kdir.resolve("kamailio.cfg");
        Files.writeString(cfg, AuthServers.text("functions.cfg", KAMAILIO, kdir, url));
        Map<String, String> theirs;
        try (Kamailio k = Kamailio.startBound(cfg, kdir, java.util.List.of(new InetSocketAddress(KAMAILIO, 5060)))) {
            theirs = FunctionsScenario.run(PEER, new InetSocketAddress(KAMAILIO, 5060));
        }
        Map<String, String> ours;
        try (ProxyUnderTest p = ProxyUnderTest.start(AuthServers.text("functions.cfg", OURS, kdir, url))) {
            ours = FunctionsScenario.run(PEER, new InetSocketAddress(OURS, 5060));
        }
        System.out.println(String.join("\n", lines(ours)));
        assertEquals(String.join("\n", lines(theirs)), String.join("\n", lines(ours)));
    }

    private static java.util.List<String> lines(Map<String, String> m) {
        return m.entrySet().stream().map(e -> e.getKey() + " => " + e.getValue()).toList();
    }
}
