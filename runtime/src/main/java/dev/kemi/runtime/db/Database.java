package dev.kemi.runtime.db;

import java.util.List;
import java.util.Map;

/**
 * A bound database (srdb1's db_func_t + db1_con_t): what a module gets from
 * {@link Databases#bind}. Connections are pooled per URL and shared by every module of the
 * proxy that binds the same URL; the object is thread-safe. All statements are prepared with
 * bound values (nothing a SIP message carries is ever spliced into SQL); table and column names
 * must be plain identifiers ({@code [A-Za-z0-9_]}).
 *
 * <p>Every call may throw {@link DbException} (server gone, SQL error): the module returns its
 * failure code (Kamailio's -1) for that request and the next call tries again; the pool
 * reconnects on its own when the server is back.
 *
 * <pre>{@code
 * // in init(ProxyServices services):
 * Database db = Databases.bind(services, "usrloc", dbUrl);      // fails startup as Kamailio does
 * db.checkTableVersion("location", 9);                          // Kamailio's version error
 * // per request:
 * DbResult r = db.query("location",
 *         List.of(DbCond.eq("username", user), DbCond.eq("domain", domain)),
 *         List.of("contact", "expires", "q"), "q");
 * for (DbRow row : r.rows()) use(row.getString("contact"), row.getInstant("expires"));
 * db.insert("location", Map.of("username", DbValue.of(user),
 *         "expires", DbValue.of(Instant.now().plusSeconds(3600))));
 * db.update("location", List.of(DbCond.eq("ruid", ruid)), Map.of("cseq", DbValue.of(2)));
 * db.delete("location", List.of(DbCond.eq("ruid", ruid)));
 * }</pre>
 */
public interface Database {
    /** The URL this handle serves (its toString has no password). */
    DbUrl url();

    /** The engine's dialect, e.g. for raw SQL that differs between engines. */
    DbEngine engine();

    /**
     * SELECT {@code columns} (empty = all, {@code *}) FROM table WHERE the conditions (ANDed;
     * empty = all rows) ORDER BY {@code orderBy} (null = none).
     */
    DbResult query(String table, List<DbCond> where, List<String> columns, String orderBy);

    /** INSERT one row; returns the number of rows inserted (1). */
    int insert(String table, Map<String, DbValue> values);

    /**
     * UPDATE table SET values WHERE conditions; returns the rows matched, on every engine (also
     * those rewritten with the values they had, which MySQL alone would count as 0).
     */
    int update(String table, List<DbCond> where, Map<String, DbValue> set);

    /** DELETE FROM table WHERE conditions (empty = every row); returns the rows deleted. */
    int delete(String table, List<DbCond> where);

    /**
     * Insert the row, or replace the row that has the same {@code keyColumns} values (srdb1's
     * replace: MySQL REPLACE; elsewhere UPDATE, then INSERT when nothing matched, in one transaction).
     */
    void replace(String table, Map<String, DbValue> values, List<String> keyColumns);

    /**
     * A raw SQL statement with {@code ?} placeholders bound to {@code params} (srdb1's raw_query).
     * A SELECT gives its rows; anything else an empty result with {@link DbResult#affectedRows()}.
     */
    DbResult raw(String sql, List<DbValue> params);

    /** {@link #raw(String, List)} without parameters. */
    default DbResult raw(String sql) {
        return raw(sql, List.of());
    }

    /** The {@code table_version} of {@code table} in the {@code version} table; 0 when it has no row. */
    int tableVersion(String table);

    /**
     * Kamailio's db_check_table_version: throws DbException with Kamailio's text
     * {@code invalid version 8 for table location found, expected 9 (check table structure and table "version")},
     * or {@code querying version for table location} when the version cannot be read.
     */
    default void checkTableVersion(String table, int expected) {
        int ver;
        try {
            ver = tableVersion(table);
        } catch (DbException e) {
            throw new DbException("querying version for table " + table + ": " + e.getMessage(), e);
        }
        if (ver != expected) {
            throw new DbException("invalid version " + ver + " for table " + table + " found, expected " + expected
                    + " (check table structure and table \"version\")");
        }
    }
}
