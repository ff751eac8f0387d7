package dev.kemi.tests.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.SipWire;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Database faults: a bad URL or a server that is down fails startup with an error naming the URL
 * without its password; a server lost while running fails only the queries made meanwhile (the
 * script sees -1 and answers 500), and the pool reconnects once the server is back.
 */
class DbFaultsTest {
    static final String SCRIPT = """
            request_route {
                sql_query("ca", "select count(*) from version", "ra");
                if ($rc < 0) {
                    sl_send_reply("500", "Server Internal Error");
                    exit;
                }
                sl_send_reply("200", "versions $dbr(ra=>[0,0])");
            }
            """;

    static String cfg(String module, String url) {
        return "listen=udp:" + SqlopsTest.HOST + ":{port}\nchildren=2\nauto_aliases=no\nloadmodule \"sl.so\"\nloadmodule \"pv.so\"\n"
                + (module == null ? "" : "loadmodule \"" + module + ".so\"\n") + "loadmodule \"sqlops.so\"\n"
                + "modparam(\"sqlops\", \"sqlcon\", \"ca=>" + url + "\")\n" + SCRIPT;
    }

    static String startupError(String module, String url) {
        RuntimeException e = assertThrows(RuntimeException.class, () -> ProxyUnderTest.start(cfg(module, url)).close());
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) all.append(t.getMessage()).append('\n');
        return all.toString();
    }

    static int closedPort() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.13.251"), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void serverDownAtStartupNamesTheUrlNotThePassword() {
        int port = closedPort();
        String mysql = startupError("db_mysql", "mysql://kamailio:Sup3rSecret@127.0.13.251:" + port + "/kamailio");
        assertTrue(mysql.contains("mysql://kamailio@127.0.13.251:" + port + "/kamailio"), mysql);
        assertFalse(mysql.contains("Sup3rSecret"), mysql);
        String pg = startupError("db_postgres", "postgres://kamailio:Sup3rSecret@127.0.13.251:" + port + "/kamailio");
        assertTrue(pg.contains("postgres://kamailio@127.0.13.251:" + port + "/kamailio"), pg);
        assertFalse(pg.contains("Sup3rSecret"), pg);
    }

    @Test
    void wrongPasswordOrDatabaseFailsStartup() {
        MariaDbServer m = TestDatabases.mariadbServer();
        String bad = startupError("db_mysql", "mysql://kamailio:wrong-pw@" + m.host() + ":" + m.port() + "/kamailio");
        assertTrue(bad.contains("mysql://kamailio@" + m.host() + ":" + m.port() + "/kamailio"), bad);
        assertFalse(bad.contains("wrong-pw"), bad);
        String noDb = startupError("db_mysql", m.url("no_such_db"));
        assertTrue(noDb.contains("/no_such_db"), noDb);
        assertFalse(noDb.contains(MariaDbServer.PASSWORD), noDb);
    }

    @Test
    void schemeWithoutItsModuleFailsAsKamailio() {
        String e = startupError(null, "postgres://kamailio:pw@127.0.13.251:5432/kamailio");
        assertTrue(e.contains("Module db_postgres not found. Missing loadmodule?"), e);
        assertFalse(e.contains(":pw@"), e);
        String malformed = startupError("db_mysql", "mysql:/kamailio:pw@host/db");
        assertTrue(malformed.contains("cannot parse URL"), malformed);
        assertFalse(malformed.contains(":pw@"), malformed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mariadb", "postgres"})
    void serverLostWhileRunningFailsOnlyTheQueryAndThePoolReconnects(String engine) {
        DbServer server = engine.equals("mariadb") ? TestDatabases.mariadbServer() : TestDatabases.postgresServer();
        String url = engine.equals("mariadb") ? TestDatabases.mariadb() : TestDatabases.postgres();
        try (ProxyUnderTest p = ProxyUnderTest.start(cfg(TestDatabases.driverModule(url), url))) {
            SipWire ok = SqlopsTest.ask(p, "alice");
            assertEquals(200, ok.status(), ok.text());
            assertEquals("versions 17", ok.reason());
            server.stop();
            try {
                SipWire down = SqlopsTest.ask(p, "alice");
                assertEquals(500, down.status(), down.text());
            } finally {
                server.start();
            }
            SipWire back = SqlopsTest.ask(p, "alice");
            assertEquals(200, back.status(), back.text());
            assertEquals("versions 17", back.reason());
        }
    }
}
