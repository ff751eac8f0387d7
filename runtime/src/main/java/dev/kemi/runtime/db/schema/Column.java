package dev.kemi.runtime.db.schema;

/**
 * One column of a Kamailio table, in engine-neutral terms.
 *
 * @param width MySQL display width for integers, VARCHAR length for strings, "p,s" for floats
 * @param nullable false = NOT NULL
 * @param defaultValue the default as written (a string default without quotes), or null
 * @param explicitNullDefault true for columns declared {@code DEFAULT NULL} (SQLite keeps the difference)
 */
public record Column(String name, Kind kind, String width, boolean nullable, String defaultValue, boolean explicitNullDefault) {
    public enum Kind { ID, INT, UINT, USMALLINT, STRING, DATETIME, FLOAT }

    public boolean quotedDefault() {
        return kind == Kind.STRING || kind == Kind.DATETIME;
    }
}
