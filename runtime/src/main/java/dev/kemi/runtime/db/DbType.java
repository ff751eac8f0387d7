package dev.kemi.runtime.db;

/** Column/value types of Kamailio's srdb1 (DB1_INT ...; DB1_STR and DB1_STRING are one here). */
public enum DbType {
    INT, BIGINT, DOUBLE, STRING, DATETIME, BLOB
}
