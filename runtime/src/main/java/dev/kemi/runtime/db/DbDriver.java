package dev.kemi.runtime.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.kemi.runtime.core.RuntimeModule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shared part of the driver modules db_sqlite, db_mysql, db_postgres: one connection pool
 * per URL, shared by all modules of this proxy that bind it (Kamailio opens a connection per
 * process and module; a pool per URL serves the same role for our worker threads).
 */
public abstract class DbDriver implements RuntimeModule {
    private final DbEngine engine;
    private final Map<String, Pooled> pools = new ConcurrentHashMap<>();

    private record Pooled(HikariDataSource pool, Database db) {}

    protected DbDriver(DbEngine engine) {
        this.engine = engine;
    }

    public DbEngine engine() {
        return engine;
    }

    /** Pool settings of the engine (driver properties, pool size, timeouts). */
    protected abstract void configure(HikariConfig cfg, DbUrl url);

    /** How many times a statement that lost its connection is run again (the module's retries). */
    protected abstract int retries();

    /** Whether the connections report changed rather than matched rows for an UPDATE (db_mysql's default). */
    protected boolean countsChangedRows() {
        return false;
    }

    /**
     * The database for a URL, opening its pool on first use.
     *
     * @throws DbException naming the URL (without password) when the server cannot be reached
     */
    public Database open(DbUrl url) {
        return open(url, "version");
    }

    /** As {@link #open(DbUrl)}, with the core's {@code version_table} name. */
    public Database open(DbUrl url, String versionTable) {
        String key = engine.jdbcUrl(url) + "|" + url.user() + "|" + url.password() + "|" + versionTable;
        return pools.computeIfAbsent(key, k -> connect(url, versionTable)).db();
    }

    private Pooled connect(DbUrl url, String versionTable) {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(engine.jdbcUrl(url));
        if (url.user() != null) cfg.setUsername(url.user());
        if (url.password() != null) cfg.setPassword(url.password());
        cfg.setPoolName(url.moduleName() + " " + url);
        cfg.setInitializationFailTimeout(1); // an unreachable server fails startup, as Kamailio's child init does
        cfg.setConnectionTimeout(2000);
        cfg.setValidationTimeout(1000);
        cfg.setMinimumIdle(1);
        configure(cfg, url);
        try {
            HikariDataSource ds = new HikariDataSource(cfg);
            return new Pooled(ds, new JdbcDatabase(url, engine, ds, retries(), versionTable, countsChangedRows()));
        } catch (RuntimeException e) {
            throw new DbException("cannot connect to database " + url + ": " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }

    @Override
    public void init(dev.kemi.runtime.core.ProxyServices services) {}

    @Override
    public void shutdown() {
        List<Pooled> all = new ArrayList<>(pools.values());
        pools.clear();
        for (Pooled p : all) p.pool().close();
    }
}
