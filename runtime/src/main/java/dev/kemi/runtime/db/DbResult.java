package dev.kemi.runtime.db;

import java.util.List;

/**
 * A query result (srdb1's db1_res_t): column names and types, the rows, and for statements that
 * return no rows (UPDATE ... through a raw query) the affected row count.
 */
public record DbResult(Columns columns, List<DbRow> rows, int affectedRows) {

    /** Column names and their srdb1 types. */
    public record Columns(List<String> names, List<DbType> types) {
        public int index(String name) {
            for (int i = 0; i < names.size(); i++) if (names.get(i).equalsIgnoreCase(name)) return i;
            throw new IllegalArgumentException("no column " + name + " in result " + names);
        }

        public int size() {
            return names.size();
        }
    }

    public static DbResult affected(int n) {
        return new DbResult(new Columns(List.of(), List.of()), List.of(), n);
    }

    public int size() {
        return rows.size();
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public DbRow row(int i) {
        return rows.get(i);
    }
}
