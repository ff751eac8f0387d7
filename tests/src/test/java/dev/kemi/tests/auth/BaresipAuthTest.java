package dev.kemi.tests.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.auth.AuthServers.FrontEnd;
import dev.kemi.tests.peers.Baresip;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Debian's baresip phone registers with digest auth through auth.cfg (auth_db on SQLite). */
class BaresipAuthTest {
    static final String PROXY = "127.0.15.8", PROXY2 = "127.0.15.9", PHONE = "127.0.15.10", PHONE2 = "127.0.15.11";
    private static String dbUrl;
    private static Path dir;
    private static ProxyUnderTest proxy;

    @BeforeAll
    static void start() throws Exception {
        Required.peer(SubscriberDb.schemaInstalled(), "Kamailio's db_sqlite schema (/usr/share/kamailio/db_sqlite)");
        Required.peer(Baresip.installed(), "baresip (with ctrl_tcp)");
        dir = Files.createTempDirectory("kemi-auth-baresip");
        Path db = dir.resolve("kamailio.db");
        SubscriberDb.create(db);
        SubscriberDb.add(db, "alice", PROXY, "alice-pw");
        SubscriberDb.add(db, "bob", PROXY, "bob-pw");
        dbUrl = "sqlite:///" + db;
        proxy = AuthServers.ours(FrontEnd.NATIVE, PROXY, dbUrl);
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) proxy.close();
        if (dir != null) try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void registersWithTheRightPassword() {
        try (Baresip alice = Baresip.start(dir.resolve("alice"), PHONE, 5070, "sip:alice@" + PROXY, "alice-pw", "")) {
            JsonNode ok = alice.awaitEvent("REGISTER_OK", Duration.ofSeconds(15));
            assertTrue(ok.path("param").asText().startsWith("200"), ok.toString());
            assertTrue(alice.registrationInfo().contains("OK"), alice.registrationInfo());
        }
    }

    @Test
    void aliceCallsBobThroughTheProxyWithDigestOnTheInvite() throws Exception {
        String bobAt = PHONE2 + ":5074";
        String cfg = AuthServers.text("call.cfg", PROXY2, dir, dbUrl).replace("{bob}", bobAt);
        try (ProxyUnderTest p = ProxyUnderTest.start(cfg);
                Baresip bob = Baresip.start(dir.resolve("bob"), PHONE2, 5074, "sip:bob@" + PROXY2, "bob-pw", "");
                Baresip alice = Baresip.start(dir.resolve("alice2"), PHONE, 5076, "sip:alice@" + PROXY2, "alice-pw", "")) {
            bob.awaitEvent("REGISTER_OK", Duration.ofSeconds(15));
            alice.awaitEvent("REGISTER_OK", Duration.ofSeconds(15));
            alice.dial("sip:bob@" + PROXY2);
            bob.awaitEvent("CALL_INCOMING", Duration.ofSeconds(15));
            bob.accept();
            try {
                alice.awaitEvent("CALL_ESTABLISHED", Duration.ofSeconds(15));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nbob: " + bob.eventTypes() + "\n" + bob.log());
            }
            bob.awaitEvent("CALL_ESTABLISHED", Duration.ofSeconds(15));
            String stat = alice.callStatus();
            JsonNode aliceRtcp = alice.awaitMediaBothWays(Duration.ofSeconds(30));
            JsonNode bobRtcp = bob.awaitMediaBothWays(Duration.ofSeconds(30));
            assertTrue(aliceRtcp.path("rtcp_stats").path("tx").path("sent").asLong() > 0, aliceRtcp.toString());
            assertTrue(bobRtcp.path("rtcp_stats").path("rx").path("sent").asLong() > 0, bobRtcp.toString());
            assertTrue(stat.contains("sip:bob@" + PROXY2), stat);
            alice.hangup();
            alice.awaitEvent("CALL_CLOSED", Duration.ofSeconds(10));
            bob.awaitEvent("CALL_CLOSED", Duration.ofSeconds(10));
        }
    }

    @Test
    void aWrongPasswordDoesNotRegister() {
        try (Baresip mallory = Baresip.start(dir.resolve("mallory"), PHONE, 5072, "sip:alice@" + PROXY, "guess", "")) {
            JsonNode fail = mallory.awaitEvent("REGISTER_FAIL", Duration.ofSeconds(15));
            assertTrue(fail.path("param").asText().contains("401"), fail.toString());
            assertFalse(mallory.eventTypes().contains("REGISTER_OK"), mallory.eventTypes().toString());
        }
    }
}
