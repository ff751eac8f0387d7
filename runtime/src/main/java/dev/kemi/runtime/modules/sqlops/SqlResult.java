package dev.kemi.runtime.modules.sqlops;

import dev.kemi.runtime.db.DbResult;
import dev.kemi.runtime.db.DbRow;
import dev.kemi.runtime.db.DbValue;
import java.util.List;

/**
 * One sqlops result container ({@code $dbr(name=>...)}): column names and values converted as
 * sqlops converts them (strings and blobs as strings, INT and DATETIME as ints, BIGINT as a
 * string, anything else, DOUBLE included, as $null).
 */
final class SqlResult {
    private List<String> columns = List.of();
    private Object[][] rows = new Object[0][];

    void reset() {
        columns = List.of();
        rows = new Object[0][];
    }

    void fill(DbResult r) {
        columns = r.columns().names();
        rows = new Object[r.size()][];
        for (int i = 0; i < r.size(); i++) {
            DbRow row = r.row(i);
            Object[] vals = new Object[columns.size()];
            for (int j = 0; j < vals.length; j++) vals[j] = convert(row.get(j));
            rows[i] = vals;
        }
    }

    static Object convert(DbValue v) {
        if (v.isNull()) return null;
        return switch (v.type()) {
            case STRING, BLOB, BIGINT -> v.asString();
            case INT, DATETIME -> v.asInt();
            case DOUBLE -> null;
        };
    }

    int rows() {
        return rows.length;
    }

    int cols() {
        return columns.size();
    }

    /** Null when out of range. */
    Object value(int row, int col) {
        if (row < 0 || row >= rows.length || col < 0 || col >= columns.size()) return null;
        return rows[row][col];
    }

    boolean inRange(int row, int col) {
        return row >= 0 && row < rows.length && col >= 0 && col < columns.size();
    }

    String colName(int col) {
        return col < 0 || col >= columns.size() ? null : columns.get(col);
    }
}
