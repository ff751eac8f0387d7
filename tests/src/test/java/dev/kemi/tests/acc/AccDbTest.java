package dev.kemi.tests.acc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kemi.runtime.db.DbRow;
import dev.kemi.runtime.db.StandaloneDatabase;
import dev.kemi.tests.Kamailio;
import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.SipWire;
import dev.kemi.tests.UdpSipClient;
import dev.kemi.tests.db.KamailioScripts;
import dev.kemi.tests.db.TestDatabases;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * acc to a database, driven on the wire: the answered call (INVITE 200, BYE 200), the rejected
 * one (486, a missed call) and an OPTIONS the script accounts with acc_db_request(), through
 * Kamailio 5.6.3 (its own schema scripts, its SQLite) and through Kemi Proxy (SQLite, and once on
 * MariaDB), all with the stock cfg's WITH_ACCDB settings and the extra columns its comments add.
 * The rows are compared column by column (id and time aside).
 */
class AccDbTest {
    static {
        // our throwaway MariaDB listens in this test's loopback block
        if (System.getProperty("kemi.test.dbhost") == null) System.setProperty("kemi.test.dbhost", "127.0.63.250");
    }

    private static final String KEMI = "127.0.63.1", KAMAILIO = "127.0.63.2", UAC = "127.0.63.20",
            UAS_ANSWER = "127.0.63.30", UAS_BUSY = "127.0.63.31";
    private static final AccCalls CALLS = new AccCalls(UAC, UAS_ANSWER, UAS_BUSY);
    private static final List<String> EXTRA = List.of("src_user", "src_domain", "src_ip", "dst_ouser", "dst_user", "dst_domain");
    private static final List<String> CORE = List.of("method", "from_tag", "to_tag", "callid", "sip_code", "sip_reason");

    @TempDir
    static Path dir;
    private static Rows kamailioSqlite, kamailioMariadb, kemiSqlite, kemiMariadb;
    private static Instant kemiStart, kemiEnd;

    /** What one run left in the database: acc and missed_calls rows without id and time, and the times. */
    record Rows(List<Map<String, String>> acc, List<Map<String, String>> missed, List<Instant> accTimes, List<String> timeTypes) {}

    @BeforeAll
    static void runKamailioAndKemi() throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        if (!AccCalls.sippInstalled() || !Kamailio.installed()) {
            if (ci) fail("SIPp or Kamailio missing");
            org.junit.jupiter.api.Assumptions.abort("SIPp or Kamailio not installed");
        }
        Path kd = Files.createDirectories(dir.resolve("kamailio-sqlite"));
        String ksqlite = "sqlite:///" + kd.resolve("kamailio.sqlite");
        KamailioScripts.load(ksqlite);
        kamailioSqlite = kamailio(kd, ksqlite);
        String kmaria = TestDatabases.emptyDatabase(TestDatabases.mariadbServer());
        KamailioScripts.load(kmaria);
        kamailioMariadb = kamailio(Files.createDirectories(dir.resolve("kamailio-mariadb")), kmaria);
        kemiStart = Instant.ofEpochSecond(Instant.now().getEpochSecond());
        Path ed = Files.createDirectories(dir.resolve("kemi-sqlite"));
        kemiSqlite = kemi(ed, TestDatabases.sqlite(ed));
        kemiMariadb = kemi(Files.createDirectories(dir.resolve("kemi-mariadb")), TestDatabases.mariadb());
        kemiEnd = Instant.now();
    }

    /** Kamailio 5.6.3 on a database its own create scripts made. */
    private static Rows kamailio(Path d, String url) throws Exception {
        addExtraColumns(url);
        Path cfg = Files.writeString(d.resolve("kamailio.cfg"), cfg(KAMAILIO, url, ""));
        try (Kamailio k = Kamailio.startBound(cfg, d, List.of(new InetSocketAddress(KAMAILIO, 5060)))) {
            traffic(d, KAMAILIO);
            return rows(url, 2);
        }
    }

    /** Kemi Proxy on a database `kemi db init` made. */
    private static Rows kemi(Path d, String url) throws Exception {
        addExtraColumns(url);
        try (ProxyUnderTest p = ProxyUnderTest.start(cfg(KEMI, url, ""))) {
            traffic(d, KEMI);
            return rows(url, 3);
        }
    }

    static String cfg(String listen, String url, String accParams) throws Exception {
        return Files.readString(AccCalls.RESOURCES.resolve("acc_db.cfg")).replace("{listen}", listen + ":5060").replace("{extra}", "")
                .replace("{dbmodule}", TestDatabases.driverModule(url)).replace("{dburl}", url).replace("{accparams}", accParams);
    }

    /** The columns the basic-kemi / stock cfg comments tell the admin to add to both tables. */
    static void addExtraColumns(String url) {
        try (StandaloneDatabase db = StandaloneDatabase.open(url)) {
            for (String table : List.of("acc", "missed_calls")) {
                for (String c : EXTRA) {
                    int len = c.endsWith("domain") ? 128 : 64;
                    db.database().raw("ALTER TABLE " + table + " ADD COLUMN " + c + " VARCHAR(" + len + ") NOT NULL DEFAULT ''");
                }
            }
        }
    }

    /** The two calls, then the OPTIONS the script accounts; the rows are awaited (they follow the replies). */
    static void traffic(Path d, String proxy) throws Exception {
        CALLS.both(d, proxy);
        try (UdpSipClient c = new UdpSipClient(new InetSocketAddress(proxy, 5060), InetAddress.getByName(UAC))) {
            c.send("OPTIONS sip:" + proxy + ":5060 SIP/2.0\r\nVia: SIP/2.0/UDP " + UAC + ":" + c.localPort()
                    + ";branch=z9hG4bK-accping\r\nFrom: <sip:alice@acc.test>;tag=pingtag\r\nTo: <sip:ping@acc.test>\r\n"
                    + "Call-ID: acc-ping@acc.test\r\nCSeq: 7 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
            SipWire r = c.expect();
            assertEquals(200, r.status(), r.toString());
        }
    }

    /** Waits until {@code accRows} acc rows and the missed call are in (written after the replies went out). */
    static Rows rows(String url, int accRows) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (StandaloneDatabase s = StandaloneDatabase.open(url)) {
            while (true) {
                List<DbRow> acc = s.database().raw("SELECT * FROM acc ORDER BY id").rows();
                List<DbRow> missed = s.database().raw("SELECT * FROM missed_calls ORDER BY id").rows();
                if ((acc.size() >= accRows && missed.size() >= 1) || System.nanoTime() > deadline) {
                    List<String> types = new ArrayList<>();
                    if (url.startsWith("sqlite")) {
                        for (DbRow r : s.database().raw("SELECT typeof(time) FROM acc ORDER BY id").rows()) types.add(r.get(0).asString());
                    }
                    return new Rows(values(acc), values(missed), acc.stream().map(r -> r.getInstant("time")).toList(), types);
                }
                Thread.sleep(20); // polling another process's database: nothing to await
            }
        }
    }

    private static List<Map<String, String>> values(List<DbRow> rows) {
        List<Map<String, String>> out = new ArrayList<>();
        for (DbRow r : rows) {
            Map<String, String> m = new LinkedHashMap<>();
            for (String c : CORE) m.put(c, r.getString(c));
            for (String c : EXTRA) m.put(c, r.getString(c));
            out.add(m);
        }
        return out;
    }

    private static Map<String, String> row(String method, String fromTag, String toTag, String callId, String code, String reason,
            String srcUser, String dstOuser, String dstUser, String dstDomain) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("method", method);
        m.put("from_tag", fromTag);
        m.put("to_tag", toTag);
        m.put("callid", callId);
        m.put("sip_code", code);
        m.put("sip_reason", reason);
        m.put("src_user", srcUser);
        m.put("src_domain", "acc.test");
        m.put("src_ip", UAC);
        m.put("dst_ouser", dstOuser);
        m.put("dst_user", dstUser);
        m.put("dst_domain", dstDomain);
        return m;
    }

    private static final List<Map<String, String>> ACC_ROWS = List.of(
            row("INVITE", "uactag1", "uastag1", "acc-answered-1@acc.test", "200", "OK", "alice", "bob", "bob", UAS_ANSWER),
            row("BYE", "uactag1", "uastag1", "acc-answered-1@acc.test", "200", "OK", "alice", "bob", "bob", UAS_ANSWER),
            row("OPTIONS", "pingtag", "", "acc-ping@acc.test", "200", "Pinged", "alice", "ping", "", KAMAILIO));

    @Test
    void kamailioOnMariadbWroteTheRowsWeExpect() {
        assertEquals(ACC_ROWS, canonical(kamailioMariadb).get(0), kamailioMariadb.toString());
        assertEquals(List.of(row("INVITE", "uactag1", "uastag1", "acc-busy-1@acc.test", "486", "Busy Here", "alice", "bob", "bob",
                UAS_BUSY)), canonical(kamailioMariadb).get(1));
    }

    @Test
    void ourRowsAreKamailiosColumnByColumnOnSqlite() {
        // Kamailio's db_sqlite binds the missing To-tag of acc_db_request's row as NULL: the NOT NULL
        // column refuses it and the row is lost; we write '' as db_mysql does (see README)
        List<List<Map<String, String>>> ours = canonical(kemiSqlite);
        assertEquals(ACC_ROWS.getLast(), ours.get(0).getLast());
        assertEquals(canonical(kamailioSqlite), List.of(ours.get(0).subList(0, 2), ours.get(1)));
    }

    @Test
    void ourRowsAreKamailiosColumnByColumnOnMariadb() {
        assertEquals(canonical(kamailioMariadb), canonical(kemiMariadb));
        assertEquals(canonical(kemiMariadb), canonical(kemiSqlite));
    }

    @Test
    void timeIsWrittenAsKamailioWritesItOnSqlite() {
        assertEquals(List.of("real", "real"), kamailioSqlite.timeTypes());
        assertEquals(List.of("real", "real", "real"), kemiSqlite.timeTypes());
        for (Rows r : List.of(kemiSqlite, kemiMariadb)) {
            for (Instant t : r.accTimes()) {
                assertTrue(!t.isBefore(kemiStart) && !t.isAfter(kemiEnd), t + " not within " + kemiStart + ".." + kemiEnd);
            }
        }
    }

    /** The proxy's own address is the one thing that differs between the two runs. */
    private static List<List<Map<String, String>>> canonical(Rows r) {
        return List.of(r.acc().stream().map(AccDbTest::canonical).toList(), r.missed().stream().map(AccDbTest::canonical).toList());
    }

    private static Map<String, String> canonical(Map<String, String> row) {
        Map<String, String> m = new LinkedHashMap<>(row);
        m.replaceAll((k, v) -> v == null ? null : v.replace(KEMI, KAMAILIO));
        return m;
    }
}
