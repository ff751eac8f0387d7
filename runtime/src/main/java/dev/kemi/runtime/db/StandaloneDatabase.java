package dev.kemi.runtime.db;

import dev.kemi.runtime.db.mysql.DbMysqlModule;
import dev.kemi.runtime.db.postgres.DbPostgresModule;
import dev.kemi.runtime.db.sqlite.DbSqliteModule;

/**
 * A database opened outside a running proxy (the {@code kemi db} commands, tests), with the
 * driver module's defaults; close releases its pool.
 */
public final class StandaloneDatabase implements AutoCloseable {
    private final DbDriver driver;
    private final Database db;

    private StandaloneDatabase(DbDriver driver, Database db) {
        this.driver = driver;
        this.db = db;
    }

    /** @throws DbException for an unknown scheme, a bad URL or an unreachable server (no password in the text) */
    public static StandaloneDatabase open(String url) {
        DbUrl u = DbUrl.parse(url);
        DbDriver d = switch (u.scheme()) {
            case "sqlite" -> new DbSqliteModule();
            case "mysql" -> new DbMysqlModule();
            case "postgres" -> new DbPostgresModule();
            default -> throw new DbException("unsupported database URL scheme '" + u.scheme() + "' in " + u
                    + " (sqlite, mysql, postgres)");
        };
        try {
            return new StandaloneDatabase(d, d.open(u));
        } catch (RuntimeException e) {
            d.shutdown();
            throw e;
        }
    }

    public Database database() {
        return db;
    }

    @Override
    public void close() {
        driver.shutdown();
    }
}
