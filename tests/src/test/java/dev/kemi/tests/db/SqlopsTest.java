package dev.kemi.tests.db;

import dev.kemi.tests.UdpSipClient;
import java.net.InetSocketAddress;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kemi.runtime.db.DbResult;
import dev.kemi.runtime.db.StandaloneDatabase;
import dev.kemi.runtime.transport.Protocol;
import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.SipClient;
import dev.kemi.tests.SipRequests;
import dev.kemi.tests.SipWire;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * sqlops on SQLite, MariaDB and PostgreSQL, from native cfg, Python and JavaScript: an INSERT
 * built from the request, a SELECT into $dbr, sql_pvquery into $var, sql_xquery into $xavp,
 * sql_result_free; the reply carries what the script read, and the row is checked in the database.
 */
class SqlopsTest {
    static final String HOST = "127.0.13.1";

    @TempDir
    static Path dir;

    static Stream<Arguments> cases() {
        return Stream.of("sqlite", "mariadb", "postgres")
                .flatMap(e -> Stream.of("native", "python", "js").map(f -> Arguments.of(e, f)));
    }

    static String url(String engine) {
        return switch (engine) {
            case "sqlite" -> TestDatabases.sqlite(dir);
            case "mariadb" -> TestDatabases.mariadb();
            default -> TestDatabases.postgres();
        };
    }

    static final String NATIVE = """
            request_route {
                if ($rU == "bad") {
                    sql_query("ca", "select nosuchcol from dispatcher", "ra");
                    $var(rc) = $rc;
                    sl_send_reply("500", "sql error $var(rc)");
                    exit;
                }
                sql_query("ca", "insert into dispatcher (setid, destination, description) values (7, 'sip:$rU@127.0.13.9', '$hdr(X-Desc)')");
                $var(q1) = $rc;
                sql_query("ca", "select destination, setid, description from dispatcher where setid=7 order by id", "ra");
                $var(q2) = $rc;
                sql_pvquery("ca", "select count(*), max(setid) from dispatcher", "$var(n),$var(m)");
                $var(q3) = $rc;
                sql_xquery("ca", "select destination, description from dispatcher where setid=7", "rx");
                $var(q4) = $rc;
                $var(out) = "q=" + $var(q1) + "," + $var(q2) + "," + $var(q3) + "," + $var(q4)
                    + " rows=" + $dbr(ra=>rows) + " cols=" + $dbr(ra=>cols) + " dst=" + $dbr(ra=>[0,0])
                    + " set=" + $dbr(ra=>[0,1]) + " col=" + $dbr(ra=>colname[2]) + " n=" + $var(n) + " m=" + $var(m)
                    + " x=" + $xavp(rx=>destination) + " xd=" + $xavp(rx[0]=>description);
                sql_result_free("ra");
                sl_send_reply("200", "R $var(out) free=$dbr(ra=>rows)");
            }
            """;

    static final String PYTHON = """
            import KSR

            def mod_init():
                return Logic()

            class Logic:
                def child_init(self, rank):
                    return 0

                def ksr_request_route(self, msg):
                    q = KSR.sqlops
                    if KSR.pv.get("$rU") == "bad":
                        rc = q.sql_query("ca", "select nosuchcol from dispatcher", "ra")
                        KSR.sl.sl_send_reply(500, "sql error " + str(rc))
                        return 1
                    q1 = q.sql_query("ca", "insert into dispatcher (setid, destination, description) values (7, 'sip:"
                                     + KSR.pv.get("$rU") + "@127.0.13.9', '" + KSR.pv.get("$hdr(X-Desc)") + "')", "")
                    q2 = q.sql_query("ca", "select destination, setid, description from dispatcher where setid=7 order by id", "ra")
                    q3 = q.sql_pvquery("ca", "select count(*), max(setid) from dispatcher", "$var(n),$var(m)")
                    q4 = q.sql_xquery("ca", "select destination, description from dispatcher where setid=7", "rx")
                    out = ("q=%s,%s,%s,%s rows=%s cols=%s dst=%s set=%s col=%s n=%s m=%s x=%s xd=%s" % (
                        q1, q2, q3, q4, q.sql_num_rows("ra"), q.sql_num_columns("ra"), q.sql_result_get("ra", 0, 0),
                        KSR.pv.get("$dbr(ra=>[0,1])"), KSR.pv.get("$dbr(ra=>colname[2])"), KSR.pv.get("$var(n)"),
                        KSR.pv.get("$var(m)"), KSR.pv.get("$xavp(rx=>destination)"), KSR.pv.get("$xavp(rx[0]=>description)")))
                    q.sql_result_free("ra")
                    KSR.sl.sl_send_reply(200, "R " + out + " free=" + str(KSR.pv.get("$dbr(ra=>rows)")))
                    return 1
            """;

    static final String JS = """
            function ksr_request_route() {
                var q = KSR.sqlops;
                if (KSR.pv.get("$rU") == "bad") {
                    var rc = q.sql_query("ca", "select nosuchcol from dispatcher", "ra");
                    KSR.sl.sl_send_reply(500, "sql error " + rc);
                    return;
                }
                var q1 = q.sql_query("ca", "insert into dispatcher (setid, destination, description) values (7, 'sip:"
                        + KSR.pv.get("$rU") + "@127.0.13.9', '" + KSR.pv.get("$hdr(X-Desc)") + "')", "");
                var q2 = q.sql_query("ca", "select destination, setid, description from dispatcher where setid=7 order by id", "ra");
                var q3 = q.sql_pvquery("ca", "select count(*), max(setid) from dispatcher", "$var(n),$var(m)");
                var q4 = q.sql_xquery("ca", "select destination, description from dispatcher where setid=7", "rx");
                var out = "q=" + q1 + "," + q2 + "," + q3 + "," + q4 + " rows=" + q.sql_num_rows("ra")
                        + " cols=" + q.sql_num_columns("ra") + " dst=" + q.sql_result_get("ra", 0, 0)
                        + " set=" + KSR.pv.get("$dbr(ra=>[0,1])") + " col=" + KSR.pv.get("$dbr(ra=>colname[2])")
                        + " n=" + KSR.pv.get("$var(n)") + " m=" + KSR.pv.get("$var(m)")
                        + " x=" + KSR.pv.get("$xavp(rx=>destination)") + " xd=" + KSR.pv.get("$xavp(rx[0]=>description)");
                q.sql_result_free("ra");
                KSR.sl.sl_send_reply(200, "R " + out + " free=" + KSR.pv.get("$dbr(ra=>rows)"));
            }
            """;

    static ProxyUnderTest proxy(String url, String frontEnd) {
        String head = "listen=udp:" + HOST + ":{port}\nchildren=2\nauto_aliases=no\n"
                + "loadmodule \"sl.so\"\nloadmodule \"pv.so\"\n"
                + "loadmodule \"" + TestDatabases.driverModule(url) + ".so\"\nloadmodule \"sqlops.so\"\n"
                + "modparam(\"sqlops\", \"sqlcon\", \"ca=>" + url + "\")\n";
        return switch (frontEnd) {
            case "native" -> ProxyUnderTest.start(head + NATIVE);
            case "python" -> ProxyUnderTest.start(head + "loadmodule \"app_python3.so\"\n"
                    + "modparam(\"app_python3\", \"load\", \"{dir}/logic.py\")\ncfgengine \"python\"\n", Map.of("logic.py", PYTHON));
            default -> ProxyUnderTest.start(head + "loadmodule \"app_jsdt.so\"\n"
                    + "modparam(\"app_jsdt\", \"load\", \"{dir}/logic.js\")\ncfgengine \"jsdt\"\n", Map.of("logic.js", JS));
        };
    }

    static SipWire ask(ProxyUnderTest p, String user, String... headers) {
        try (SipClient c = new UdpSipClient(p.address(Protocol.UDP), new InetSocketAddress(HOST, 0).getAddress())) {
            c.send(SipRequests.request("MESSAGE", "sip:" + user + "@" + HOST + ":" + p.port(), c, SipRequests.callId(), headers));
            // generous: a worker's first KEMI call compiles the script, slow on a loaded 2-core machine
            String reply = c.receive(Duration.ofSeconds(120));
            if (reply == null) throw new AssertionError("no reply to the MESSAGE for " + user);
            return SipWire.parse(reply);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void queriesFromTheScript(String engine, String frontEnd) {
        String url = url(engine);
        try (ProxyUnderTest p = proxy(url, frontEnd)) {
            SipWire r = ask(p, "alice", "X-Desc: desc-" + frontEnd);
            String codes = frontEnd.equals("native") ? "q=2,1,1,1" : "q=0,0,1,1";
            assertEquals(200, r.status(), r.text());
            assertEquals("R " + codes + " rows=1 cols=3 dst=sip:alice@127.0.13.9 set=7 col=description n=1 m=7"
                    + " x=sip:alice@127.0.13.9 xd=desc-" + frontEnd + " free=0", r.reason());

            SipWire bad = ask(p, "bad");
            assertEquals(500, bad.status(), bad.text());
            assertEquals("sql error -1", bad.reason());
        }
        try (StandaloneDatabase db = StandaloneDatabase.open(url)) {
            DbResult rows = db.database().raw("SELECT setid, destination, description FROM dispatcher");
            assertEquals(1, rows.size());
            assertEquals(7, rows.row(0).getInt("setid"));
            assertEquals("sip:alice@127.0.13.9", rows.row(0).getString("destination"));
            assertEquals("desc-" + frontEnd, rows.row(0).getString("description"));
        }
    }
}
