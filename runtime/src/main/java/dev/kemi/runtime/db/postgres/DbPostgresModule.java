package dev.kemi.runtime.db.postgres;

import com.zaxxer.hikari.HikariConfig;
import dev.kemi.api.Module;
import dev.kemi.api.Param;
import dev.kemi.runtime.db.DbDriver;
import dev.kemi.runtime.db.DbEngine;
import dev.kemi.runtime.db.DbUrl;

/** db_postgres: {@code postgres://user:pass@host[:port]/db}, over the PostgreSQL JDBC driver. */
@Module(value = "db_postgres", loadName = "db_postgres")
public final class DbPostgresModule extends DbDriver {
    private int retries = 2;
    private int timeout = 0;
    private boolean keepalive = false;

    public DbPostgresModule() {
        super(DbEngine.POSTGRES);
    }

    /** How many times a command that lost its connection is run again; 0 disables reconnecting. */
    @Param("retries")
    public void retries(int n) {
        if (n < 0) throw new IllegalArgumentException("retries must not be negative");
        retries = n;
    }

    /** Seconds a connection attempt or a command may take; 0 = no limit. */
    @Param("timeout")
    public void timeout(int seconds) {
        if (seconds < 0) throw new IllegalArgumentException("timeout must not be negative");
        timeout = seconds;
    }

    /** Non-zero: TCP keep-alive on the connections. */
    @Param("tcp_keepalive")
    public void tcpKeepalive(int on) {
        keepalive = on != 0;
    }

    @Override
    protected void configure(HikariConfig cfg, DbUrl url) {
        if (timeout > 0) {
            cfg.addDataSourceProperty("connectTimeout", Integer.toString(timeout));
            cfg.addDataSourceProperty("socketTimeout", Integer.toString(timeout));
            cfg.setConnectionTimeout(timeout * 1000L + 500);
        } else {
            cfg.addDataSourceProperty("connectTimeout", "2");
        }
        if (keepalive) cfg.addDataSourceProperty("tcpKeepAlive", "true");
        cfg.setMaximumPoolSize(8);
    }

    @Override
    protected int retries() {
        return retries;
    }
}
