package dev.kemi.runtime.db.mysql;

import com.zaxxer.hikari.HikariConfig;
import dev.kemi.api.Module;
import dev.kemi.api.Param;
import dev.kemi.runtime.db.DbDriver;
import dev.kemi.runtime.db.DbEngine;
import dev.kemi.runtime.db.DbUrl;

/** db_mysql: {@code mysql://user:pass@host[:port]/db}, over MariaDB Connector/J. */
@Module(value = "db_mysql", loadName = "db_mysql")
public final class DbMysqlModule extends DbDriver {
    private int pingInterval = 300;
    private int connectTimeout = 2;
    private int receiveTimeout = 0;
    private int retries = 1;
    private int timeoutInterval = 2;
    private boolean autoReconnect = true;
    private boolean updateAffectedFound = false;

    public DbMysqlModule() {
        super(DbEngine.MYSQL);
    }

    /** Seconds between keep-alive pings of idle connections (the pool's minimum is 30). */
    @Param("ping_interval")
    public void pingInterval(int seconds) {
        pingInterval = nonNegative("ping_interval", seconds);
    }

    @Param("connect_timeout")
    public void connectTimeout(int seconds) {
        connectTimeout = nonNegative("connect_timeout", seconds);
    }

    @Param("receive_timeout")
    public void receiveTimeout(int seconds) {
        receiveTimeout = nonNegative("receive_timeout", seconds);
    }

    /** How many times a command that lost its connection is run again. */
    @Param("retries")
    public void retries(int n) {
        retries = nonNegative("retries", n);
    }

    /** Seconds after which a connection attempt or a read is aborted. */
    @Param("timeout_interval")
    public void timeoutInterval(int seconds) {
        timeoutInterval = nonNegative("timeout_interval", seconds);
    }

    /** 0: a command that lost its connection fails at once instead of reconnecting. */
    @Param("auto_reconnect")
    public void autoReconnect(int on) {
        autoReconnect = on != 0;
    }

    /**
     * 1: an UPDATE counts the rows found, 0 (Kamailio's default): the rows changed, as sqlops
     * raw queries see it. {@link dev.kemi.runtime.db.Database#update} always returns the rows matched.
     */
    @Param("update_affected_found")
    public void updateAffectedFound(int on) {
        updateAffectedFound = on != 0;
    }

    private static int nonNegative(String name, int v) {
        if (v < 0) throw new IllegalArgumentException(name + " must not be negative");
        return v;
    }

    @Override
    protected void configure(HikariConfig cfg, DbUrl url) {
        int connect = Math.max(1, Math.min(connectTimeout, timeoutInterval == 0 ? connectTimeout : timeoutInterval));
        cfg.setConnectionTimeout(connect * 1000L + 500);
        cfg.addDataSourceProperty("connectTimeout", Integer.toString(connect * 1000));
        int read = receiveTimeout > 0 ? receiveTimeout : timeoutInterval;
        if (read > 0) cfg.addDataSourceProperty("socketTimeout", Integer.toString(read * 1000 * 3));
        cfg.addDataSourceProperty("useAffectedRows", Boolean.toString(!updateAffectedFound));
        if (pingInterval > 0) cfg.setKeepaliveTime(Math.max(30, pingInterval) * 1000L);
        cfg.setMaximumPoolSize(8);
    }

    @Override
    protected boolean countsChangedRows() {
        return !updateAffectedFound;
    }

    @Override
    protected int retries() {
        return autoReconnect ? retries : 0;
    }
}
