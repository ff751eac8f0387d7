package dev.kemi.runtime.modules.usrloc;

/** usrloc's db_mode. */
public enum DbMode {
    NO_DB, WRITE_THROUGH, WRITE_BACK, DB_ONLY;

    public static DbMode of(int v) {
        if (v < 0 || v > 3) throw new IllegalArgumentException("db_mode must be 0, 1, 2 or 3, not " + v);
        return values()[v];
    }
}
