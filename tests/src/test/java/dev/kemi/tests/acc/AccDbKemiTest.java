package dev.kemi.tests.acc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.runtime.db.DbRow;
import dev.kemi.runtime.db.StandaloneDatabase;
import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.SipWire;
import dev.kemi.tests.UdpSipClient;
import dev.kemi.tests.db.TestDatabases;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KSR.acc.acc_db_request from a JavaScript routing script: the row lands in the table named by
 * the script; a table that does not exist loses that row alone (-1, counted), the request is
 * still answered. KSR.acc.acc_request writes the syslog line and the row.
 */
class AccDbKemiTest {
    private static final String PROXY = "127.0.63.50", UAC = "127.0.63.51";
    @TempDir
    static Path dir;
    private static ProxyUnderTest proxy;
    private static String url;

    @BeforeAll
    static void start() {
        url = TestDatabases.sqlite(dir);
        proxy = ProxyUnderTest.start("""
                children=1
                listen=udp:%s:5060
                loadmodule "db_sqlite.so"
                loadmodule "tm.so"
                loadmodule "sl.so"
                loadmodule "pv.so"
                loadmodule "acc.so"
                loadmodule "app_jsdt.so"
                modparam("acc", "db_url", "%s")
                modparam("acc", "db_extra", "src_ip=$si;dst_ouser=$tU")
                modparam("app_jsdt", "load", "{dir}/logic.js")
                cfgengine "jsdt"
                """.formatted(PROXY, url), Map.of("logic.js", """
                function ksr_request_route() {
                    var table = KSR.pv.get("$rU") == "lost" ? "no_such_table" : "missed_calls";
                    var rc = KSR.pv.get("$rU") == "both" ? KSR.acc.acc_request("203 Logged and stored", "missed_calls")
                            : KSR.acc.acc_db_request("202 Noted by script", table);
                    KSR.sl.sl_send_reply(rc == 1 ? 200 : 500, "rc " + rc);
                }
                """));
        try (StandaloneDatabase db = StandaloneDatabase.open(url)) {
            for (String c : List.of("src_ip", "dst_ouser")) {
                db.database().raw("ALTER TABLE missed_calls ADD COLUMN " + c + " VARCHAR(64) NOT NULL DEFAULT ''");
            }
        }
    }

    @AfterAll
    static void stop() {
        if (proxy != null) proxy.close();
    }

    private static SipWire message(String user, String callId) throws Exception {
        try (UdpSipClient c = new UdpSipClient(new InetSocketAddress(PROXY, 5060), InetAddress.getByName(UAC))) {
            c.send("MESSAGE sip:" + user + "@" + PROXY + ":5060 SIP/2.0\r\nVia: SIP/2.0/UDP " + UAC + ":" + c.localPort()
                    + ";branch=z9hG4bK-" + callId + "\r\nFrom: <sip:alice@acc.test>;tag=ft-" + callId + "\r\nTo: <sip:" + user
                    + "@acc.test>\r\nCall-ID: " + callId + "\r\nCSeq: 3 MESSAGE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
            return c.expect();
        }
    }

    @Test
    void rowInTheScriptsTable() throws Exception {
        SipWire r = message("carol", "kemi-acc-1");
        assertEquals(200, r.status(), r.toString());
        try (StandaloneDatabase db = StandaloneDatabase.open(url)) {
            List<DbRow> rows = db.database().raw("SELECT * FROM missed_calls WHERE callid = 'kemi-acc-1'").rows();
            assertEquals(1, rows.size());
            DbRow row = rows.getFirst();
            assertEquals(List.of("MESSAGE", "ft-kemi-acc-1", "", "202", "Noted by script", UAC, "carol"),
                    List.of(row.getString("method"), row.getString("from_tag"), row.getString("to_tag"), row.getString("sip_code"),
                            row.getString("sip_reason"), row.getString("src_ip"), row.getString("dst_ouser")));
        }
    }

    @Test
    void accRequestWritesTheLineAndTheRow() throws Exception {
        try (AccLines lines = new AccLines()) {
            assertEquals(200, message("both", "kemi-acc-4").status());
            assertEquals(1, lines.lines().size(), lines.lines().toString());
            assertTrue(lines.lines().getFirst().startsWith("ACC: request accounted: timestamp="), lines.lines().toString());
            assertTrue(lines.lines().getFirst().endsWith(";method=MESSAGE;from_tag=ft-kemi-acc-4;to_tag=;call_id=kemi-acc-4;code=203;"
                    + "reason=Logged and stored"), lines.lines().toString());
        }
        try (StandaloneDatabase db = StandaloneDatabase.open(url)) {
            assertEquals(List.of("203 Logged and stored"), db.database().raw("SELECT sip_code, sip_reason FROM missed_calls WHERE callid = 'kemi-acc-4'")
                    .rows().stream().map(r -> r.getString("sip_code") + " " + r.getString("sip_reason")).toList());
        }
    }

    @Test
    void aTableThatIsNotThereCostsTheRowNotTheRequest() throws Exception {
        long before = proxy.proxy().statistics().value("acc", "db_failed_rows");
        SipWire r = message("lost", "kemi-acc-2");
        assertEquals(500, r.status(), r.toString());
        assertEquals("rc -1", r.reason());
        assertEquals(before + 1, proxy.proxy().statistics().value("acc", "db_failed_rows"));
        assertEquals(200, message("carol", "kemi-acc-3").status());
    }
}
