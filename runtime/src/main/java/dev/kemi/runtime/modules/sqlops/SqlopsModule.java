package dev.kemi.runtime.modules.sqlops;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.api.Param;
import dev.kemi.api.Pv;
import dev.kemi.api.PvExports;
import dev.kemi.api.PvProvider;
import dev.kemi.api.PvName;
import dev.kemi.api.PvSpec;
import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.core.RuntimeModule;
import dev.kemi.runtime.db.Database;
import dev.kemi.runtime.db.Databases;
import dev.kemi.runtime.db.DbException;
import dev.kemi.runtime.db.DbResult;
import dev.kemi.runtime.db.DbValue;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.modules.pv.PvModule;
import dev.kemi.runtime.modules.pv.StandardPvs;
import dev.kemi.runtime.modules.pv.XavpStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * sqlops: SQL from the routing script over named connections ({@code sqlcon "ca=>mysql://..."}).
 * Result containers are per worker, as Kamailio's are per process: a result stays readable in
 * later messages handled by the same worker until it is replaced or freed. The query text is
 * the script's own SQL, run as written (as in Kamailio); module code never splices values.
 */
@Module(value = "sqlops", loadName = "sqlops")
public final class SqlopsModule implements RuntimeModule, PvExports {
    private final Map<String, String> urls = new LinkedHashMap<>();
    private final Set<String> declaredResults = ConcurrentHashMap.newKeySet();
    private final Map<String, Database> cons = new ConcurrentHashMap<>();
    private final ThreadLocal<Map<String, SqlResult>> results = ThreadLocal.withInitial(HashMap::new);
    /** Rows the last statement on each connection returned or changed, per worker ($sqlrows). */
    private final ThreadLocal<Map<Database, Integer>> affected = ThreadLocal.withInitial(HashMap::new);
    private int resultsMaxsize = 32;
    private int connectMode = 0;
    private ProxyServices services;
    private PvProvider proxyPvs = new StandardPvs();
    private ExecutorService async;

    /** {@code name=>db_url}; a name given twice is an error, as in Kamailio. */
    @Param("sqlcon")
    public void sqlcon(String spec) {
        int arrow = spec.indexOf("=>");
        String name = arrow < 0 ? "" : spec.substring(0, arrow).trim();
        if (arrow < 0 || name.isEmpty() || name.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("invalid sqlops parameter [" + spec + "]");
        }
        if (urls.containsKey(name)) throw new IllegalArgumentException("duplicate connection name " + name);
        urls.put(name, spec.substring(arrow + 2).trim());
    }

    /** Declares a result container (they are also created on first use). */
    @Param("sqlres")
    public void sqlres(String name) {
        if (name.isBlank()) throw new IllegalArgumentException("invalid result container [" + name + "]");
        declaredResults.add(name.trim());
    }

    /** How many result containers a worker may hold. */
    @Param("results_maxsize")
    public void resultsMaxsize(int n) {
        if (n < 1) throw new IllegalArgumentException("results_maxsize must be positive");
        resultsMaxsize = n;
    }

    /** 1: start even when a database is down, and connect at the first query. */
    @Param("connect_mode")
    public void connectMode(int mode) {
        connectMode = mode;
    }

    @Override
    public void init(ProxyServices services) {
        this.services = services;
        // the proxy's own PVs: sql_pvquery must write the $var the script reads
        proxyPvs = services.optionalApi(PvModule.class).map(PvModule::provider).orElseGet(StandardPvs::new);
        for (Map.Entry<String, String> e : urls.entrySet()) {
            try {
                cons.put(e.getKey(), Databases.bind(services, "sqlops", e.getValue()));
            } catch (DbException ex) {
                if (connectMode != 1) throw new DbException("sqlops: failed to connect to the database [" + e.getKey() + "]: " + ex.getMessage(), ex);
                ScriptLog.log(ScriptLog.INFO, "sqlops: failed to connect to the database [" + e.getKey() + "] - trying at first use: " + ex.getMessage());
            }
        }
        async = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sqlops-async");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void shutdown() {
        if (async != null) async.shutdown();
    }

    @Override
    public Set<String> pvNames() {
        return Set.of("dbr", "sqlrows");
    }

    @Override
    public Pv resolvePv(PvSpec spec) {
        if (spec.param() == null) throw new IllegalArgumentException("$" + spec.name() + " needs a name");
        if (spec.name().equals("sqlrows")) {
            String con = spec.param().trim();
            if (!urls.containsKey(con)) throw new IllegalArgumentException("invalid connection [" + con + "]");
            return ctx -> sqlrows(con);
        }
        return DbrPv.parse(this, spec.param());
    }

    /** $sqlrows(con): rows of the last statement this worker ran there; $null on SQLite (no affected_rows in db_sqlite). */
    private Object sqlrows(String con) {
        Database db = cons.get(con);
        if (db == null || db.engine() == dev.kemi.runtime.db.DbEngine.SQLITE) return null;
        return affected.get().getOrDefault(db, 0);
    }

    /** The proxy's PV resolver (for PVs named in $dbr indexes and sql_pvquery). */
    PvProvider pvProvider() {
        return proxyPvs;
    }

    /** This worker's container of that name (created on first use, up to results_maxsize); null if over the limit. */
    SqlResult result(String name) {
        Map<String, SqlResult> m = results.get();
        SqlResult r = m.get(name);
        if (r == null) {
            if (m.size() > resultsMaxsize) {
                ScriptLog.log(ScriptLog.ERR, "sqlops: too many result containers defined");
                return null;
            }
            r = new SqlResult();
            m.put(name, r);
        }
        return r;
    }

    /** The connection, or null (logged) when the name is unknown or, with connect_mode 1, it still cannot connect. */
    private Database con(String name) {
        Database db = cons.get(name);
        if (db != null) return db;
        String url = urls.get(name);
        if (url == null) {
            ScriptLog.log(ScriptLog.ERR, "sqlops: invalid connection [" + name + "]");
            return null;
        }
        try {
            return cons.computeIfAbsent(name, n -> Databases.bind(services, "sqlops", url));
        } catch (DbException e) {
            ScriptLog.log(ScriptLog.ERR, "sqlops: failed to connect to database [" + name + "]: " + e.getMessage());
            return null;
        }
    }

    private DbResult run(Database db, String query) {
        try {
            DbResult r = db.raw(query);
            affected.get().put(db, r.columns().size() > 0 ? r.size() : r.affectedRows());
            return r;
        } catch (DbException e) {
            String q = query.length() > 64 ? query.substring(0, 64) : query;
            ScriptLog.log(ScriptLog.ERR, "sqlops: cannot do the query [" + q + "]: " + e.getMessage());
            return null;
        }
    }

    /** sql_do_query: 1 rows stored, 2 no rows, 3 rows but no container, -1 error. */
    private int doQuery(Database db, String query, String res) {
        SqlResult r = null;
        if (res != null) {
            r = result(res);
            if (r == null) return -1;
            r.reset();
        }
        DbResult dr = run(db, query);
        if (dr == null) return -1;
        if (dr.isEmpty() || dr.columns().size() == 0) return 2;
        if (r == null) return 3;
        r.fill(dr);
        return 1;
    }

    // ---- native cfg

    /** 1 rows stored, 2 no rows (or not a SELECT), 3 rows without a container, -1 error, -2 no connection. */
    @Export(value = "sql_query_native", natives = "sql_query", nativeOnly = true, routes = RouteType.ANY, returns = {1, 2, 3, -1, -2})
    public int sqlQueryNative(MessageContext ctx, String con, String query, String res) {
        Database db = con(con);
        return db == null ? -2 : doQuery(db, query, res);
    }

    @Export(value = "sql_query_native", natives = "sql_query", nativeOnly = true, routes = RouteType.ANY, returns = {1, 2, 3, -1, -2})
    public int sqlQueryNative(MessageContext ctx, String con, String query) {
        Database db = con(con);
        return db == null ? -2 : doQuery(db, query, null);
    }

    @Export(value = "sql_xquery_native", natives = "sql_xquery", nativeOnly = true, routes = RouteType.ANY, returns = {1, 2, -1, -2})
    public int sqlXqueryNative(MessageContext ctx, String con, String query, String xavp) {
        Database db = con(con);
        return db == null ? -2 : xquery(ctx, db, query, xavp);
    }

    @Export(value = "sql_pvquery_native", natives = "sql_pvquery", nativeOnly = true, routes = RouteType.ANY, returns = {1, 2, -1, -2})
    public int sqlPvqueryNative(MessageContext ctx, String con, String query, @PvName String pvs) {
        Database db = con(con);
        return db == null ? -2 : pvquery(ctx, db, query, pvs);
    }

    @Export(value = "sql_query_async_native", natives = "sql_query_async", nativeOnly = true, routes = RouteType.ANY, returns = {1, -1, -2})
    public int sqlQueryAsyncNative(MessageContext ctx, String con, String query) {
        Database db = con(con);
        return db == null ? -2 : queryAsync(db, query);
    }

    // ---- KEMI (and sql_result_free for both)

    /** KEMI: 0 done (rows or not), -1 error, as ki_sqlops_query. */
    @Export(kemiOnly = true, routes = RouteType.ANY, returns = {0, -1})
    public int sql_query(MessageContext ctx, String con, String query, String res) {
        Database db = con(con);
        if (db == null) return -1;
        return doQuery(db, query, res.isEmpty() ? null : res) < 0 ? -1 : 0;
    }

    @Export(kemiOnly = true, routes = RouteType.ANY, returns = {1, 2, -1})
    public int sql_xquery(MessageContext ctx, String con, String query, String xavp) {
        Database db = con(con);
        return db == null ? -1 : xquery(ctx, db, query, xavp);
    }

    @Export(kemiOnly = true, routes = RouteType.ANY, returns = {1, 2, -1})
    public int sql_pvquery(MessageContext ctx, String con, String query, String pvs) {
        Database db = con(con);
        return db == null ? -1 : pvquery(ctx, db, query, pvs);
    }

    @Export(kemiOnly = true, routes = RouteType.ANY, returns = {1, -1})
    public int sql_query_async(MessageContext ctx, String con, String query) {
        Database db = con(con);
        return db == null ? -1 : queryAsync(db, query);
    }

    @Export(routes = RouteType.ANY, returns = {1})
    public int sql_result_free(MessageContext ctx, String res) {
        SqlResult r = result(res);
        if (r != null) r.reset();
        return 1;
    }

    @Export(kemiOnly = true, routes = RouteType.ANY, intValue = true, returns = {-1})
    public int sql_num_rows(MessageContext ctx, String res) {
        SqlResult r = result(res);
        return r == null ? -1 : r.rows();
    }

    @Export(kemiOnly = true, routes = RouteType.ANY, intValue = true, returns = {-1})
    public int sql_num_columns(MessageContext ctx, String res) {
        SqlResult r = result(res);
        return r == null ? -1 : r.cols();
    }

    /** 1 NULL, 0 not NULL, -1 no such container or index. */
    @Export(kemiOnly = true, routes = RouteType.ANY, returns = {1, 0, -1})
    public int sql_is_null(MessageContext ctx, String res, int row, int col) {
        SqlResult r = result(res);
        if (r == null || !r.inRange(row, col)) return -1;
        return r.value(row, col) == null ? 1 : 0;
    }

    /** The value, or null for NULL or out of range. */
    @Export(kemiOnly = true, routes = RouteType.ANY)
    public Object sql_result_get(MessageContext ctx, String res, int row, int col) {
        SqlResult r = result(res);
        return r == null ? null : r.value(row, col);
    }

    /** As sql_result_get, with "" for NULL. */
    @Export(kemiOnly = true, routes = RouteType.ANY)
    public Object sql_result_gete(MessageContext ctx, String res, int row, int col) {
        Object v = sql_result_get(ctx, res, row, col);
        return v == null ? "" : v;
    }

    /** As sql_result_get, with 0 for NULL. */
    @Export(kemiOnly = true, routes = RouteType.ANY)
    public Object sql_result_getz(MessageContext ctx, String res, int row, int col) {
        Object v = sql_result_get(ctx, res, row, col);
        return v == null ? 0 : v;
    }

    // ---- shared

    /** One xavp per row (first row at index 0), its fields named after the columns. 1 / 2 no rows / -1. */
    private int xquery(MessageContext ctx, Database db, String query, String xavp) {
        DbResult dr = run(db, query);
        if (dr == null) return -1;
        if (dr.isEmpty() || dr.columns().size() == 0) return 2;
        XavpStore store = XavpStore.of(ctx).xavp();
        List<String> names = dr.columns().names();
        for (int i = dr.size() - 1; i >= 0; i--) {
            List<java.util.Map.Entry<String, Object>> row = new ArrayList<>(names.size());
            for (int j = 0; j < names.size(); j++) row.add(new java.util.AbstractMap.SimpleEntry<>(names.get(j), SqlResult.convert(dr.row(i).get(j))));
            store.addList(xavp, row);
        }
        return 1;
    }

    /** Column j of each row into the j-th PV (rows from last to first, so AVPs stack with row 0 on top). */
    private int pvquery(MessageContext ctx, Database db, String query, String pvList) {
        List<Pv> pvs = new ArrayList<>();
        List<Boolean> avps = new ArrayList<>();
        PvProvider resolver = proxyPvs;
        try {
            for (String name : pvList.split(",")) {
                PvSpec spec = PvSpec.parse(name.trim());
                Pv pv = resolver.resolve(spec);
                avps.add(spec.name().equals("avp"));
                if (!pv.writable()) {
                    ScriptLog.log(ScriptLog.ERR, "sqlops: result variable [" + (pvs.size() + 1) + "] is read-only");
                    return -1;
                }
                pvs.add(pv);
            }
        } catch (IllegalArgumentException e) {
            ScriptLog.log(ScriptLog.ERR, "sqlops: invalid result parameter [" + pvList + "]: " + e.getMessage());
            return -1;
        }
        DbResult dr = run(db, query);
        if (dr == null) return -1;
        if (dr.isEmpty() || dr.columns().size() == 0) return 2;
        for (int i = dr.size() - 1; i >= 0; i--) {
            for (int j = 0; j < dr.columns().size(); j++) {
                if (j >= pvs.size()) {
                    ScriptLog.log(ScriptLog.ERR, "sqlops: Missing pv spec for column " + (j + 1));
                    return -1;
                }
                Object v = pvValue(dr.row(i).get(j));
                if (v == null && avps.get(j)) continue; // db_val2pv_spec: a NULL adds no AVP
                pvs.get(j).set(ctx, v);
            }
        }
        return 1;
    }

    /** db_val2pv_spec: BIGINT that fits an int is an int, DOUBLE is $null. */
    private static Object pvValue(DbValue v) {
        if (v.isNull()) return null;
        return switch (v.type()) {
            case BIGINT -> {
                long n = v.asLong();
                yield n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE ? (Object) (int) n : (Object) Long.toString(n);
            }
            default -> SqlResult.convert(v);
        };
    }

    /** Runs the statement off the worker; its result is discarded, errors logged. */
    private int queryAsync(Database db, String query) {
        async.execute(() -> run(db, query));
        return 1;
    }
}
