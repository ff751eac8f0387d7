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
    static final String PROXY = "127.0.15.8", PHONE = "127.0.15.10";
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
        proxy = AuthServers.ours(FrontEnd.NATIVE, PROXY, "sqlite:///" + db);
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
    void aWrongPasswordDoesNotRegister() {
        try (Baresip mallory = Baresip.start(dir.resolve("mallory"), PHONE, 5072, "sip:alice@" + PROXY, "guess", "")) {
            JsonNode fail = mallory.awaitEvent("REGISTER_FAIL", Duration.ofSeconds(15));
            assertTrue(fail.path("param").asText().contains("401"), fail.toString());
            assertFalse(mallory.eventTypes().contains("REGISTER_OK"), mallory.eventTypes().toString());
        }
    }
}
