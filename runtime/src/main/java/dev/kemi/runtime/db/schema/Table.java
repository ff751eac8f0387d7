package dev.kemi.runtime.db.schema;

import java.util.List;

/**
 * A Kamailio table and the version its module expects in the {@code version} table.
 * Index names are the short ones (MySQL's); SQLite and PostgreSQL prefix them with the table name.
 */
public record Table(String name, int version, List<Column> columns, List<Index> indexes) {
    public record Index(String name, boolean unique, List<String> columns) {}
}
