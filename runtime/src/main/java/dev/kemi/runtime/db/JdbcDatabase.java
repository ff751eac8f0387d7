package dev.kemi.runtime.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import javax.sql.DataSource;

/** {@link Database} over a pooled JDBC DataSource; every statement prepared, values bound. */
final class JdbcDatabase implements Database {
    private final DbUrl url;
    private final DbEngine engine;
    private final DataSource pool;
    private final int retries;
    private final String versionTable;
    private final boolean countsChangedRows;

    /**
     * @param retries how many times a statement that lost its connection runs again on a fresh one
     * @param versionTable the core's version_table ("version")
     * @param countsChangedRows the server reports changed rather than matched rows for an UPDATE
     */
    JdbcDatabase(DbUrl url, DbEngine engine, DataSource pool, int retries, String versionTable, boolean countsChangedRows) {
        this.url = url;
        this.engine = engine;
        this.pool = pool;
        this.retries = retries;
        this.versionTable = versionTable;
        this.countsChangedRows = countsChangedRows;
    }

    @Override
    public DbUrl url() {
        return url;
    }

    @Override
    public DbEngine engine() {
        return engine;
    }

    @Override
    public DbResult query(String table, List<DbCond> where, List<String> columns, String orderBy) {
        StringBuilder sql = new StringBuilder("SELECT ");
        if (columns.isEmpty()) sql.append('*');
        else {
            StringJoiner j = new StringJoiner(",");
            for (String c : columns) j.add(engine.quote(c));
            sql.append(j);
        }
        sql.append(" FROM ").append(engine.quote(table));
        List<DbValue> params = new ArrayList<>();
        appendWhere(sql, where, params);
        if (orderBy != null && !orderBy.isEmpty()) sql.append(" ORDER BY ").append(engine.quote(orderBy));
        return run(sql.toString(), params);
    }

    @Override
    public int insert(String table, Map<String, DbValue> values) {
        List<DbValue> params = new ArrayList<>();
        return run(insertSql("INSERT INTO ", table, values, params), params).affectedRows();
    }

    private String insertSql(String verb, String table, Map<String, DbValue> values, List<DbValue> params) {
        StringJoiner cols = new StringJoiner(",", "(", ")");
        StringJoiner qs = new StringJoiner(",", "(", ")");
        for (Map.Entry<String, DbValue> e : values.entrySet()) {
            cols.add(engine.quote(e.getKey()));
            qs.add("?");
            params.add(e.getValue());
        }
        return verb + engine.quote(table) + " " + cols + " VALUES " + qs;
    }

    @Override
    public int update(String table, List<DbCond> where, Map<String, DbValue> set) {
        List<DbValue> params = new ArrayList<>();
        int n = run(updateSql(table, where, set, params), params).affectedRows();
        if (n > 0 || !countsChangedRows) return n;
        // MySQL counted only changed rows: an update to the same values still matched these
        StringBuilder sql = new StringBuilder("SELECT count(*) FROM ").append(engine.quote(table));
        List<DbValue> whereParams = new ArrayList<>();
        appendWhere(sql, where, whereParams);
        return run(sql.toString(), whereParams).row(0).get(0).asInt();
    }

    private String updateSql(String table, List<DbCond> where, Map<String, DbValue> set, List<DbValue> params) {
        StringBuilder sql = new StringBuilder("UPDATE ").append(engine.quote(table)).append(" SET ");
        StringJoiner j = new StringJoiner(",");
        for (Map.Entry<String, DbValue> e : set.entrySet()) {
            j.add(engine.quote(e.getKey()) + "=?");
            params.add(e.getValue());
        }
        sql.append(j);
        appendWhere(sql, where, params);
        return sql.toString();
    }

    @Override
    public int delete(String table, List<DbCond> where) {
        StringBuilder sql = new StringBuilder("DELETE FROM ").append(engine.quote(table));
        List<DbValue> params = new ArrayList<>();
        appendWhere(sql, where, params);
        return run(sql.toString(), params).affectedRows();
    }

    @Override
    public void replace(String table, Map<String, DbValue> values, List<String> keyColumns) {
        if (engine == DbEngine.MYSQL) {
            List<DbValue> params = new ArrayList<>();
            run(insertSql("REPLACE INTO ", table, values, params), params);
            return;
        }
        List<DbCond> where = new ArrayList<>();
        for (String k : keyColumns) {
            DbValue v = values.get(k);
            if (v == null) throw new DbException("replace: key column " + k + " has no value");
            where.add(DbCond.eq(k, v));
        }
        withRetry(c -> {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                List<DbValue> up = new ArrayList<>();
                int n = execute(c, updateSql(table, where, values, up), up).affectedRows();
                if (n == 0) {
                    List<DbValue> ins = new ArrayList<>();
                    execute(c, insertSql("INSERT INTO ", table, values, ins), ins);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
            return null;
        });
    }

    @Override
    public DbResult raw(String sql, List<DbValue> params) {
        return run(sql, params);
    }

    @Override
    public int tableVersion(String table) {
        DbResult r = query(versionTable, List.of(DbCond.eq("table_name", table)), List.of("table_version"), null);
        if (r.isEmpty()) return 0;
        if (r.size() != 1) throw new DbException("invalid number of rows received: " + r.size() + ", " + table);
        DbValue v = r.row(0).get(0);
        if (v.isNull()) throw new DbException("invalid type or null version columns for " + table);
        return v.asInt();
    }

    private void appendWhere(StringBuilder sql, List<DbCond> where, List<DbValue> params) {
        if (where.isEmpty()) return;
        sql.append(" WHERE ");
        for (int i = 0; i < where.size(); i++) {
            DbCond c = where.get(i);
            if (i > 0) sql.append(" AND ");
            sql.append(engine.quote(c.column())).append(c.op().sql()).append('?');
            params.add(c.value());
        }
    }

    private DbResult run(String sql, List<DbValue> params) {
        return withRetry(c -> execute(c, sql, params));
    }

    private DbResult execute(Connection c, String sql, List<DbValue> params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) engine.bind(ps, i + 1, params.get(i));
            if (!ps.execute()) return DbResult.affected(Math.max(0, ps.getUpdateCount()));
            try (ResultSet rs = ps.getResultSet()) {
                return read(rs);
            }
        }
    }

    private DbResult read(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        List<String> names = new ArrayList<>(n);
        List<DbType> types = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            names.add(md.getColumnLabel(i));
            types.add(engine.columnType(md, i));
        }
        DbResult.Columns cols = new DbResult.Columns(List.copyOf(names), List.copyOf(types));
        List<DbRow> rows = new ArrayList<>();
        while (rs.next()) {
            List<DbValue> vals = new ArrayList<>(n);
            for (int i = 1; i <= n; i++) vals.add(engine.read(rs, i, types.get(i - 1)));
            rows.add(new DbRow(cols, List.copyOf(vals)));
        }
        return new DbResult(cols, List.copyOf(rows), 0);
    }

    private interface Work<T> {
        T on(Connection c) throws SQLException;
    }

    /**
     * Runs the work on a pooled connection; when the connection turns out broken (the server
     * restarted since it was opened) it runs again on a fresh one, up to {@code retries} times,
     * as db_mysql's auto_reconnect and db_postgres' retries do. A server that is down fails the call.
     */
    private <T> T withRetry(Work<T> work) {
        SQLException last = null;
        for (int attempt = 0; ; attempt++) {
            try (Connection c = pool.getConnection()) {
                return work.on(c);
            } catch (SQLException e) {
                if (last != null) e.addSuppressed(last);
                last = e;
                if (attempt >= retries || !isConnectionLoss(e) || e instanceof SQLTransientConnectionException) {
                    throw fail(e);
                }
            }
        }
    }

    static boolean isConnectionLoss(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08")) return true;
            if (t instanceof java.io.IOException) return true;
        }
        return false;
    }

    private DbException fail(SQLException e) {
        return new DbException(url + ": " + e.getMessage(), e);
    }
}
