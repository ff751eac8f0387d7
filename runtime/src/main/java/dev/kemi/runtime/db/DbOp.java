package dev.kemi.runtime.db;

/** Comparison operators of srdb1's db_op_t (OP_EQ, OP_NEQ, OP_LT ...). */
public enum DbOp {
    EQ("="), NE("!="), LT("<"), GT(">"), LE("<="), GE(">=");

    private final String sql;

    DbOp(String sql) {
        this.sql = sql;
    }

    public String sql() {
        return sql;
    }
}
