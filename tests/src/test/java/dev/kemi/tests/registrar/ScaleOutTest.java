package dev.kemi.tests.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.tests.Kamailio;
import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.db.TestDatabases;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * db_mode 3 on one PostgreSQL or MariaDB database: a phone registered at one of our proxies is
 * reached through the other, and through Kamailio 5.6.3 on the same database; a phone registered
 * at Kamailio is reached through ours.
 */
class ScaleOutTest {
    private static final String DOMAIN = "example.test";

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mariadb"})
    void proxiesOnOneDatabaseSeeEachOthersRegistrations(String engine) {
        String url = engine.equals("postgres") ? TestDatabases.postgres() : TestDatabases.mariadb();
        int base = engine.equals("postgres") ? 70 : 80;
        String a = "127.0.14." + base, b = "127.0.14." + (base + 1), k = "127.0.14." + (base + 2);
        try (ProxyUnderTest pa = Proxies.ours(RegScripts.NATIVE, a, url, 3, "");
             ProxyUnderTest pb = Proxies.ours(RegScripts.PYTHON, b, url, 3, "");
             Phone alice = new Phone("127.0.14." + (base + 3)); Phone bob = new Phone("127.0.14." + (base + 4));
             Phone caller = new Phone("127.0.14." + (base + 5))) {
            caller.awaitAnswering(Proxies.sip(a));
            caller.awaitAnswering(Proxies.sip(b));
            register(alice, "alice", a);
            assertEquals(List.of("sip:alice@" + alice.hostPort()), Calls.invite(caller, List.of(alice), b, "alice", DOMAIN, 1),
                    "registered at A, called through B");
            TestDatabases.requirePeer(Kamailio.installed(), "kamailio 5.6.3 is not installed");
            try (Kamailio km = Proxies.kamailio(RegScripts.NATIVE, k, url, 3, "")) {
                assertEquals(List.of("sip:alice@" + alice.hostPort()), Calls.invite(caller, List.of(alice), k, "alice", DOMAIN, 1),
                        "registered at A, called through Kamailio: " + km.log());
                register(bob, "bob", k);
                assertEquals(List.of("sip:bob@" + bob.hostPort()), Calls.invite(caller, List.of(bob), a, "bob", DOMAIN, 1),
                        "registered at Kamailio, called through A");
            }
            // unregistered at B: gone for A too
            String r = alice.request(Proxies.sip(b), alice.register("alice", DOMAIN, "reg-alice", 2, 0, "Contact: *"));
            assertNotNull(r);
            assertTrue(r.startsWith("SIP/2.0 200"), r);
            String gone = caller.invite("alice", DOMAIN, "call-gone-" + engine);
            String nf = caller.request(Proxies.sip(a), gone);
            assertNotNull(nf);
            assertTrue(nf.startsWith("SIP/2.0 404"), nf);
        }
    }

    private static void register(Phone phone, String user, String proxyIp) {
        String r = phone.request(Proxies.sip(proxyIp),
                phone.register(user, DOMAIN, "reg-" + user, 1, 3600, "Contact: <sip:" + user + "@" + phone.hostPort() + ">"));
        assertNotNull(r, "a reply to the REGISTER at " + proxyIp);
        assertTrue(r.startsWith("SIP/2.0 200"), r);
    }
}
