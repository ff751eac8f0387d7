package dev.kemi.runtime.db;

import java.util.List;

/** One result row: values in column order, also reachable by column name (case-insensitive). */
public record DbRow(DbResult.Columns columns, List<DbValue> values) {
    public DbValue get(int index) {
        return values.get(index);
    }

    /** @throws IllegalArgumentException when the result has no such column */
    public DbValue get(String column) {
        return values.get(columns.index(column));
    }

    public String getString(String column) {
        return get(column).asString();
    }

    public int getInt(String column) {
        return get(column).asInt();
    }

    public long getLong(String column) {
        return get(column).asLong();
    }

    public double getDouble(String column) {
        return get(column).asDouble();
    }

    public java.time.Instant getInstant(String column) {
        return get(column).asInstant();
    }

    public boolean isNull(String column) {
        return get(column).isNull();
    }
}
