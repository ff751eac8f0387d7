package dev.kemi.tests.acc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kemi.runtime.db.StandaloneDatabase;
import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.db.TestDatabases;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database that cannot take a row costs that row, never the call: with missed calls pointed
 * at a table that does not exist, the busy call still reaches the caller as 486 (SIPp checks the
 * whole dialog), the answered call's rows are written, and the lost row is counted. A table
 * named by a pseudo-variable gets the value the transaction's $avp had.
 */
class AccDbLostRowTest {
    private static final String KEMI = "127.0.63.60";
    private static final AccCalls CALLS = new AccCalls("127.0.63.61", "127.0.63.62", "127.0.63.63");

    @TempDir
    Path dir;

    @Test
    void lostMissedCallRowLeavesTheCallAndTheOtherRows() throws Exception {
        if (!AccCalls.sippInstalled()) {
            if ("true".equals(System.getenv("CI"))) fail("SIPp missing");
            org.junit.jupiter.api.Assumptions.abort("SIPp not installed");
        }
        String url = TestDatabases.sqlite(dir);
        AccDbTest.addExtraColumns(url);
        String cfg = AccDbTest.cfg(KEMI, url, "modparam(\"acc\", \"db_table_missed_calls\", \"no_such_table\")");
        try (ProxyUnderTest p = ProxyUnderTest.start(cfg)) {
            CALLS.busy(dir, KEMI);
            CALLS.answered(dir, KEMI);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            try (StandaloneDatabase db = StandaloneDatabase.open(url)) {
                while (db.database().raw("SELECT id FROM acc").size() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(20); // the BYE's row follows its 200: poll with a deadline
                }
                assertEquals(List.of("INVITE", "BYE"), db.database().raw("SELECT method FROM acc ORDER BY id").rows().stream()
                        .map(r -> r.getString("method")).toList());
                assertEquals(0, db.database().raw("SELECT id FROM missed_calls").size());
            }
            assertEquals(1L, p.proxy().statistics().value("acc", "db_failed_rows"));
        }
    }

    @Test
    void missedCallsTableNamedByTheTransactionsAvp() throws Exception {
        if (!AccCalls.sippInstalled()) {
            if ("true".equals(System.getenv("CI"))) fail("SIPp missing");
            org.junit.jupiter.api.Assumptions.abort("SIPp not installed");
        }
        String url = TestDatabases.sqlite(dir);
        AccDbTest.addExtraColumns(url);
        try (StandaloneDatabase db = StandaloneDatabase.open(url)) {
            db.database().raw("CREATE TABLE missed_calls_bob AS SELECT * FROM missed_calls WHERE 0");
        }
        String cfg = AccDbTest.cfg(KEMI, url, "modparam(\"acc\", \"db_table_missed_calls\", \"$avp(mctable)\")");
        try (ProxyUnderTest p = ProxyUnderTest.start(cfg)) {
            CALLS.busy(dir, KEMI);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            try (StandaloneDatabase db = StandaloneDatabase.open(url)) {
                while (db.database().raw("SELECT id FROM missed_calls_bob").size() < 1 && System.nanoTime() < deadline) {
                    Thread.sleep(20); // the row follows the 486: poll with a deadline
                }
                assertEquals(List.of("486 bob"), db.database().raw("SELECT sip_code, dst_ouser FROM missed_calls_bob").rows().stream()
                        .map(r -> r.getString("sip_code") + " " + r.getString("dst_ouser")).toList());
                assertEquals(0, db.database().raw("SELECT id FROM missed_calls").size());
            }
            assertEquals(0L, p.proxy().statistics().value("acc", "db_failed_rows"));
        }
    }
}
