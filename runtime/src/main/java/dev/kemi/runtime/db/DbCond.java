package dev.kemi.runtime.db;

/** One WHERE term {@code column op ?} (srdb1's key/op/value triple); terms are ANDed. */
public record DbCond(String column, DbOp op, DbValue value) {
    public static DbCond eq(String column, DbValue value) {
        return new DbCond(column, DbOp.EQ, value);
    }

    public static DbCond eq(String column, String value) {
        return eq(column, DbValue.of(value));
    }

    public static DbCond eq(String column, int value) {
        return eq(column, DbValue.of(value));
    }
}
