package dev.kemi.runtime.db.schema;

import dev.kemi.runtime.db.DbEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/** CREATE TABLE / CREATE INDEX / version rows for one engine, with Kamailio's types and index names. */
public final class Ddl {
    private Ddl() {}

    /**
     * Creates the tables (kamdbctl create's role) with their version rows; the version table
     * must be among them or exist already.
     *
     * @throws dev.kemi.runtime.db.DbException naming the table that could not be created
     */
    public static void install(dev.kemi.runtime.db.Database db, List<Table> tables) {
        for (Table t : tables) {
            for (String sql : create(t, db.engine())) {
                try {
                    db.raw(sql);
                } catch (dev.kemi.runtime.db.DbException ex) {
                    throw new dev.kemi.runtime.db.DbException("creating table " + t.name() + ": " + ex.getMessage(), ex);
                }
            }
        }
    }

    /** The statements that create the table, its indexes and its {@code version} row. */
    public static List<String> create(Table t, DbEngine e) {
        List<String> out = new ArrayList<>();
        StringJoiner body = new StringJoiner(",\n    ", "CREATE TABLE " + e.quote(t.name()) + " (\n    ", "\n)");
        for (Column c : t.columns()) body.add(column(c, e));
        for (Table.Index i : t.indexes()) {
            if (i.unique()) body.add("CONSTRAINT " + indexName(t, i, e) + " UNIQUE (" + columns(i, e) + ")");
        }
        out.add(body.toString());
        for (Table.Index i : t.indexes()) {
            if (!i.unique()) {
                out.add("CREATE INDEX " + indexName(t, i, e) + " ON " + e.quote(t.name()) + " (" + columns(i, e) + ")");
            }
        }
        out.add("INSERT INTO " + e.quote("version") + " (table_name, table_version) VALUES ('" + t.name() + "', "
                + t.version() + ")");
        return out;
    }

    private static String indexName(Table t, Table.Index i, DbEngine e) {
        return e == DbEngine.MYSQL ? i.name() : t.name() + "_" + i.name();
    }

    private static String columns(Table.Index i, DbEngine e) {
        StringJoiner j = new StringJoiner(", ");
        for (String c : i.columns()) j.add(e.quote(c));
        return j.toString();
    }

    static String column(Column c, DbEngine e) {
        StringBuilder sb = new StringBuilder(e.quote(c.name())).append(' ').append(type(c, e));
        if (c.kind() == Column.Kind.ID) return sb.toString();
        if (c.defaultValue() != null) {
            sb.append(" DEFAULT ").append(c.quotedDefault() ? "'" + c.defaultValue() + "'" : c.defaultValue());
        } else if (c.explicitNullDefault()) {
            sb.append(" DEFAULT NULL");
        }
        if (!c.nullable()) sb.append(" NOT NULL");
        return sb.toString();
    }

    private static String type(Column c, DbEngine e) {
        boolean my = e == DbEngine.MYSQL;
        return switch (c.kind()) {
            case ID -> switch (e) {
                case MYSQL -> "INT(10) UNSIGNED AUTO_INCREMENT PRIMARY KEY NOT NULL";
                case POSTGRES -> "SERIAL PRIMARY KEY NOT NULL";
                case SQLITE -> "INTEGER PRIMARY KEY NOT NULL";
            };
            case INT -> my ? "INT(" + c.width() + ")" : "INTEGER";
            case UINT -> my ? "INT(" + c.width() + ") UNSIGNED" : "INTEGER";
            case USMALLINT -> my ? "SMALLINT(" + c.width() + ") UNSIGNED" : "SMALLINT";
            case STRING -> "VARCHAR(" + c.width() + ")";
            case DATETIME -> my ? "DATETIME" : "TIMESTAMP WITHOUT TIME ZONE";
            case FLOAT -> my ? "FLOAT(" + c.width() + ")" : "REAL";
        };
    }
}
