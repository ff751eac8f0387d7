package dev.kemi.tests.acc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kemi.runtime.db.StandaloneDatabase;
import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.db.DbServer;
import dev.kemi.tests.db.TestDatabases;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The accounting database goes away in the middle of the day: the calls made meanwhile go through
 * unchanged (SIPp checks every message of both dialogs), their rows are lost and counted, and
 * once MariaDB is back the next call's row is written without a restart.
 */
class AccDbServerDownTest {
    static {
        if (System.getProperty("kemi.test.dbhost") == null) System.setProperty("kemi.test.dbhost", "127.0.63.250");
    }

    private static final String KEMI = "127.0.63.70";
    private static final AccCalls CALLS = new AccCalls("127.0.63.71", "127.0.63.72", "127.0.63.73");

    @TempDir
    Path dir;

    @Test
    void callsGoOnWhileTheDatabaseIsDown() throws Exception {
        if (!AccCalls.sippInstalled()) {
            if ("true".equals(System.getenv("CI"))) fail("SIPp missing");
            org.junit.jupiter.api.Assumptions.abort("SIPp not installed");
        }
        String url = TestDatabases.mariadb();
        AccDbTest.addExtraColumns(url);
        DbServer server = TestDatabases.mariadbServer();
        try (ProxyUnderTest p = ProxyUnderTest.start(AccDbTest.cfg(KEMI, url, ""))) {
            server.stop();
            try {
                CALLS.answered(dir, KEMI);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (p.proxy().statistics().value("acc", "db_failed_rows") < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(20); // the BYE's row is tried after its 200 went out: poll with a deadline
                }
                assertEquals(2L, p.proxy().statistics().value("acc", "db_failed_rows"), "the INVITE's and the BYE's rows");
            } finally {
                server.start();
            }
            // the pool reopens its connections in the background: a call in between may still lose its row
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            try (StandaloneDatabase db = StandaloneDatabase.open(url)) {
                int calls = 0;
                while (db.database().raw("SELECT id FROM missed_calls").size() < 1 && System.nanoTime() < deadline) {
                    long failed = p.proxy().statistics().value("acc", "db_failed_rows");
                    CALLS.busy(dir, KEMI);
                    calls++;
                    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                    while (db.database().raw("SELECT id FROM missed_calls").size() < 1
                            && p.proxy().statistics().value("acc", "db_failed_rows") == failed && System.nanoTime() < until) {
                        Thread.sleep(20); // the row follows the 486: poll with a deadline
                    }
                }
                assertEquals(1, db.database().raw("SELECT id FROM missed_calls").size(),
                        "failed rows: " + p.proxy().statistics().value("acc", "db_failed_rows"));
                assertEquals("486", db.database().raw("SELECT sip_code FROM missed_calls").row(0).getString("sip_code"));
                assertEquals(0, db.database().raw("SELECT id FROM acc").size());
                assertEquals(2L + calls - 1, p.proxy().statistics().value("acc", "db_failed_rows"));
            }
        }
    }
}
