package dev.kemi.tests.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.runtime.db.StandaloneDatabase;
import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.db.DbServer;
import dev.kemi.tests.db.TestDatabases;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The MariaDB server goes away while the proxy runs: with db_mode 1 a save() that must write
 * fails with Kamailio's 500, bindings already in memory keep routing calls, and once the server
 * is back the pool reconnects and the timer writes what was missed; with db_mode 2 REGISTERs go
 * on being accepted and reach the database afterwards.
 */
class DatabaseLossTest {
    private static final String DOMAIN = "example.test";
    private static final String FAST_TIMER = "modparam(\"usrloc\", \"timer_interval\", 1)\n";

    @Test
    void writeThroughFailsWith500AndKeepsMemory() {
        String url = TestDatabases.mariadb();
        DbServer server = TestDatabases.mariadbServer();
        String ip = "127.0.14.90";
        try (ProxyUnderTest o = Proxies.ours(RegScripts.NATIVE, ip, url, 1, FAST_TIMER);
             Phone alice = new Phone("127.0.14.91"); Phone bob = new Phone("127.0.14.92"); Phone caller = new Phone("127.0.14.93")) {
            caller.awaitAnswering(Proxies.sip(ip));
            assertStatus(200, register(alice, "alice", ip, 1));
            server.stop();
            try {
                String r = register(alice, "alice", ip, 2);
                assertStatus(500, r);
                assertTrue(r.contains("\r\nP-Registrar-Error: usrloc_contact_update failed\r\n"), r);
                String nb = register(bob, "bob", ip, 1);
                assertStatus(500, nb);
                assertTrue(nb.contains("\r\nP-Registrar-Error: usrloc_contact_insert failed\r\n"), nb);
                assertEquals(List.of("sip:alice@" + alice.hostPort()), Calls.invite(caller, List.of(alice), ip, "alice", DOMAIN, 1),
                        "the binding in memory still routes");
            } finally {
                server.start();
            }
            // the pool reconnects on its own: a retried REGISTER gets through
            int[] cseq = {1};
            await(() -> register(bob, "bob", ip, ++cseq[0]).startsWith("SIP/2.0 200 "), "bob registered after the server came back");
            // the update that failed reaches the database through the timer
            await(() -> cseqInDb(url, "alice") == 2, "alice's refresh written after the server came back");
            assertEquals(cseq[0], cseqInDb(url, "bob"));
        }
    }

    @Test
    void writeBackAcceptsRegistrationsWhileTheServerIsDown() {
        String url = TestDatabases.mariadb();
        DbServer server = TestDatabases.mariadbServer();
        String ip = "127.0.14.94";
        try (ProxyUnderTest o = Proxies.ours(RegScripts.NATIVE, ip, url, 2, FAST_TIMER);
             Phone carol = new Phone("127.0.14.95"); Phone caller = new Phone("127.0.14.96")) {
            caller.awaitAnswering(Proxies.sip(ip));
            server.stop();
            try {
                assertStatus(200, register(carol, "carol", ip, 1));
                assertEquals(List.of("sip:carol@" + carol.hostPort()), Calls.invite(caller, List.of(carol), ip, "carol", DOMAIN, 1));
            } finally {
                server.start();
            }
            await(() -> cseqInDb(url, "carol") == 1, "carol's binding written once the server is back");
        }
    }

    private static String register(Phone p, String user, String ip, int cseq) {
        String r = p.request(Proxies.sip(ip), p.register(user, DOMAIN, "reg-" + user, cseq, 3600,
                "Contact: <sip:" + user + "@" + p.hostPort() + ">"));
        assertNotNull(r, "a reply to " + user + "'s REGISTER " + cseq);
        return r;
    }

    private static void assertStatus(int code, String reply) {
        assertTrue(reply.startsWith("SIP/2.0 " + code + " "), reply);
    }

    /** cseq of the user's row, -1 when there is none or the server does not answer. */
    private static int cseqInDb(String url, String user) {
        try (StandaloneDatabase db = StandaloneDatabase.open(url)) {
            var r = db.database().raw("SELECT cseq FROM location WHERE username = ?", List.of(dev.kemi.runtime.db.DbValue.of(user)));
            return r.isEmpty() ? -1 : r.row(0).get(0).asInt();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static void await(BooleanSupplier cond, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out: " + what);
            try {
                Thread.sleep(200); // polling the database for the timer's write
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
