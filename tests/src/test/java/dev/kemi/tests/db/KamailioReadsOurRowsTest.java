package dev.kemi.tests.db;

import dev.kemi.tests.UdpSipClient;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kemi.runtime.db.Database;
import dev.kemi.runtime.db.DbCond;
import dev.kemi.runtime.db.DbValue;
import dev.kemi.runtime.db.StandaloneDatabase;
import dev.kemi.tests.Kamailio;
import dev.kemi.tests.SipWire;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows we write through the DB API (DATETIME included: a Julian day on SQLite) read back by
 * Kamailio 5.6.3's own db drivers, through its sqlops ($dbr gives DATETIME as Unix seconds);
 * and a row Kamailio wrote read by us.
 */
class KamailioReadsOurRowsTest {
    @TempDir
    Path dir;

    static final long EXPIRES = 1_900_000_000L;

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "mariadb", "postgres"})
    void kamailioReadsOurDatetime(String engine) throws Exception {
        TestDatabases.requirePeer(Kamailio.installed(), "kamailio not installed");
        String url = switch (engine) {
            case "sqlite" -> TestDatabases.sqlite(dir);
            case "mariadb" -> TestDatabases.mariadb();
            default -> TestDatabases.postgres();
        };
        try (StandaloneDatabase s = StandaloneDatabase.open(url)) {
            Map<String, DbValue> row = new LinkedHashMap<>();
            row.put("ruid", DbValue.of("r1"));
            row.put("username", DbValue.of("alice"));
            row.put("contact", DbValue.of("sip:alice@127.0.13.7"));
            row.put("expires", DbValue.of(Instant.ofEpochSecond(EXPIRES)));
            s.database().insert("location", row);
        }
        int port = freeUdpPort();
        String cfg = "listen=udp:" + SqlopsTest.HOST + ":" + port + "\nchildren=1\nauto_aliases=no\n"
                + "loadmodule \"sl.so\"\nloadmodule \"pv.so\"\nloadmodule \"" + TestDatabases.driverModule(url) + ".so\"\n"
                + "loadmodule \"sqlops.so\"\nmodparam(\"sqlops\", \"sqlcon\", \"ca=>" + url + "\")\n"
                + "request_route {\n"
                + "    if ($rU == \"write\") {\n"
                // Kamailio's own typed write of a DATETIME: no module here writes one, so text through sqlops
                + "        sql_query(\"ca\", \"update location set callid='from-kamailio' where ruid='r1'\");\n"
                + "    }\n"
                + "    sql_query(\"ca\", \"select expires, contact from location where ruid='r1'\", \"ra\");\n"
                + "    sl_send_reply(\"200\", \"E $dbr(ra=>[0,0]) $dbr(ra=>[0,1])\");\n"
                + "}\n";
        Path cfgFile = dir.resolve("kamailio.cfg");
        Files.writeString(cfgFile, cfg);
        try (Kamailio k = Kamailio.startBound(cfgFile, dir, List.of(new InetSocketAddress(SqlopsTest.HOST, port)));
                UdpSipClient c = new UdpSipClient(new InetSocketAddress(SqlopsTest.HOST, port), new InetSocketAddress(SqlopsTest.HOST, 0).getAddress())) {
            c.send(dev.kemi.tests.SipRequests.request("MESSAGE", "sip:write@" + SqlopsTest.HOST + ":" + port, c,
                    dev.kemi.tests.SipRequests.callId()));
            String reply = c.receive(Duration.ofSeconds(20));
            if (reply == null) throw new AssertionError("kamailio did not answer: " + k.log());
            assertEquals("E " + EXPIRES + " sip:alice@127.0.13.7", SipWire.parse(reply).reason(), k.log());
        }
        try (StandaloneDatabase s = StandaloneDatabase.open(url)) {
            Database db = s.database();
            var r = db.query("location", List.of(DbCond.eq("ruid", "r1")), List.of("callid", "expires"), null);
            assertEquals("from-kamailio", r.row(0).getString("callid"));
            assertEquals(Instant.ofEpochSecond(EXPIRES), r.row(0).getInstant("expires"));
        }
    }

    static int freeUdpPort() throws Exception {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(new InetSocketAddress(SqlopsTest.HOST, 0))) {
            return s.getLocalPort();
        }
    }
}
