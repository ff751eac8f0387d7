package dev.kemi.runtime.modules.acc;

import dev.kemi.runtime.db.Database;
import dev.kemi.runtime.db.DbException;
import dev.kemi.runtime.db.DbType;
import dev.kemi.runtime.db.DbValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * acc's SQL backend (acc_db_request in acc.c): one row per event in the acc or missed_calls
 * table, the core columns then the db_extra ones. A row the database refuses or cannot take
 * (server down, wrong table) is lost alone: logged and counted, the call goes on.
 *
 * <p>The rows of transactions are written on one writer thread (in order), never on the SIP
 * worker: a worker that waits for a database that is gone (the pool's connect timeout) would
 * leave the datagrams queued behind it to go stale and be dropped (ACKs for 2xx among them).
 * acc_db_request() from the script waits for its row when db_insert_mode is 0, so the script
 * gets Kamailio's -1 for a lost row; with 1 (INSERT DELAYED) and 2 (async) it is queued too.
 */
final class AccDb implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AccDb.class);
    /** Rows waiting for the writer thread; past this the row is lost (counted), the worker never waits. */
    private static final int QUEUE = 10_000;

    /** The names of the seven core columns (acc_*_column params), in core2strar's order. */
    record Columns(String method, String fromTag, String toTag, String callId, String sipCode, String sipReason, String time) {
        static final Columns DEFAULT = new Columns("method", "from_tag", "to_tag", "callid", "sip_code", "sip_reason", "time");
    }

    private final Database db;
    private final Columns cols;
    private final boolean extraNullable;
    private final LongAdder failed;
    private final ThreadPoolExecutor writer;

    AccDb(Database db, Columns cols, boolean extraNullable, LongAdder failed) {
        this.db = db;
        this.cols = cols;
        this.extraNullable = extraNullable;
        this.failed = failed;
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
                r -> {
                    Thread t = new Thread(r, "acc-db-writer");
                    t.setDaemon(true);
                    return t;
                });
    }

    /**
     * Writes one row; false when it was lost (when queued: only when the queue is full).
     *
     * @param extras db_extra names to values, in order (null = the pv had no value)
     * @param wait insert on the calling thread, else queue it for the writer thread
     */
    boolean write(String table, AccCore core, long epochSeconds, List<Map.Entry<String, String>> extras, boolean wait) {
        Map<String, DbValue> row = new LinkedHashMap<>();
        row.put(cols.method(), str(core.method()));
        row.put(cols.fromTag(), str(core.fromTag()));
        row.put(cols.toTag(), str(core.toTag()));
        row.put(cols.callId(), str(core.callId()));
        row.put(cols.sipCode(), str(core.code()));
        row.put(cols.sipReason(), str(core.reason()));
        row.put(cols.time(), DbValue.datetime(epochSeconds));
        for (Map.Entry<String, String> e : extras) {
            row.put(e.getKey(), e.getValue() == null && extraNullable ? DbValue.nullOf(DbType.STRING) : str(e.getValue()));
        }
        if (wait) return insert(table, row);
        try {
            writer.execute(() -> insert(table, row));
            return true;
        } catch (RejectedExecutionException e) {
            failed.increment();
            LOG.error("acc: {} row of call {} lost: {} rows already wait for the database", table, core.callId(), QUEUE);
            return false;
        }
    }

    /** A missing value is an empty string: the columns are NOT NULL DEFAULT ''. */
    private static DbValue str(String v) {
        return DbValue.of(v == null ? "" : v);
    }

    private boolean insert(String table, Map<String, DbValue> row) {
        try {
            db.insert(table, row);
            return true;
        } catch (DbException | IllegalArgumentException e) {
            failed.increment();
            LOG.error("acc: failed to insert into database table {} (call {}): {}", table, row.get(cols.callId()), e.getMessage());
            return false;
        }
    }

    /** Waits a little for queued rows, then drops the rest (shutdown). */
    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(5, TimeUnit.SECONDS)) writer.shutdownNow();
        } catch (InterruptedException e) {
            writer.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
