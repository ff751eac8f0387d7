package dev.kemi.tests.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.tests.Kamailio;
import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.control.Peers;
import dev.kemi.tests.db.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Registrations kept in SQLite: they survive our restart with db_mode 2, and the location table
 * is shared with Kamailio 5.6.3 both ways (one writes, the other loads it and routes by it).
 */
class RegistrarPersistenceTest {
    private static final String DOMAIN = "example.test";

    private static String contact(Phone phone) {
        return "Contact: <sip:alice@" + phone.hostPort() + ">";
    }

    private static void register(Phone phone, String proxyIp) {
        String r = phone.request(Proxies.sip(proxyIp), phone.register("alice", DOMAIN, "reg-p", 1, 3600, contact(phone)));
        assertNotNull(r, "a reply to the REGISTER");
        assertTrue(r.startsWith("SIP/2.0 200"), r);
    }

    @Test
    void registrationsSurviveOurRestartWithWriteBack() throws Exception {
        Path tmp = Files.createTempDirectory("kemi-reg-restart");
        String url = TestDatabases.sqlite(tmp);
        String ip = "127.0.14.50";
        try (Phone phone = new Phone("127.0.14.51"); Phone caller = new Phone("127.0.14.52")) {
            try (ProxyUnderTest o = Proxies.ours(RegScripts.NATIVE, ip, url, 2, "")) {
                caller.awaitAnswering(Proxies.sip(ip));
                register(phone, ip);
                assertEquals(0, RegistrarVsKamailioTest.rows(url, phone, ip).size(), "write-back: no row before the timer or shutdown");
            }
            assertEquals(1, RegistrarVsKamailioTest.rows(url, phone, ip).size(), "flushed at shutdown");
            try (ProxyUnderTest o = Proxies.ours(RegScripts.NATIVE, ip, url, 2, "")) {
                caller.awaitAnswering(Proxies.sip(ip));
                assertEquals(List.of("sip:alice@" + phone.hostPort()), Calls.invite(caller, List.of(phone), ip, "alice", DOMAIN, 1));
                String dump = Proxies.rpc(o, "ul.dump").toString();
                assertTrue(dump.contains("State=CS_SYNC") && dump.contains("Address=sip:alice@" + phone.hostPort()), dump);
            }
        }
    }

    @Test
    void kamailioWritesWeRead() throws Exception {
        TestDatabases.requirePeer(Kamailio.installed(), "kamailio 5.6.3 is not installed");
        Path tmp = Files.createTempDirectory("kemi-reg-k2o");
        String url = TestDatabases.sqlite(tmp);
        try (Phone phone = new Phone("127.0.14.53"); Phone caller = new Phone("127.0.14.54")) {
            try (Kamailio k = Proxies.kamailio(RegScripts.NATIVE, "127.0.14.55", url, 1, "")) {
                register(phone, "127.0.14.55");
            }
            try (ProxyUnderTest o = Proxies.ours(RegScripts.NATIVE, "127.0.14.56", url, 2, "")) {
                caller.awaitAnswering(Proxies.sip("127.0.14.56"));
                assertEquals(List.of("sip:alice@" + phone.hostPort()),
                        Calls.invite(caller, List.of(phone), "127.0.14.56", "alice", DOMAIN, 1));
            }
        }
    }

    @Test
    void weWriteKamailioReads() throws Exception {
        TestDatabases.requirePeer(Kamailio.installed(), "kamailio 5.6.3 is not installed");
        Path tmp = Files.createTempDirectory("kemi-reg-o2k");
        String url = TestDatabases.sqlite(tmp);
        try (Phone phone = new Phone("127.0.14.57"); Phone caller = new Phone("127.0.14.58")) {
            try (ProxyUnderTest o = Proxies.ours(RegScripts.NATIVE, "127.0.14.59", url, 1, "")) {
                caller.awaitAnswering(Proxies.sip("127.0.14.59"));
                register(phone, "127.0.14.59");
            }
            // Kamailio preloads the table in its first SIP worker's child_init, after the socket is
            // bound: the other worker can take an INVITE before that (404). Wait until ul.dump has it.
            String ctl = "loadmodule \"ctl.so\"\nmodparam(\"ctl\", \"binrpc\", \"unix:{dir}/ctl.sock\")\n";
            try (Kamailio k = Proxies.kamailio(RegScripts.NATIVE, "127.0.14.60", url, 2, ctl)) {
                Path sock = k.dir().resolve("ctl.sock");
                Peers.await(() -> Files.exists(sock) && Peers.kamcmd(sock, "ul.dump").contains("sip:alice@" + phone.hostPort()),
                        Duration.ofSeconds(20), "the registration in Kamailio's ul.dump");
                assertEquals(List.of("sip:alice@" + phone.hostPort()),
                        Calls.invite(caller, List.of(phone), "127.0.14.60", "alice", DOMAIN, 1), k.log());
            }
        }
    }
}
