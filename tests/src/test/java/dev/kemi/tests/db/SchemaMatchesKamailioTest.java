package dev.kemi.tests.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.runtime.db.Database;
import dev.kemi.runtime.db.DbRow;
import dev.kemi.runtime.db.DbValue;
import dev.kemi.runtime.db.StandaloneDatabase;
import dev.kemi.runtime.db.schema.KamailioSchema;
import dev.kemi.runtime.db.schema.Table;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code kemi db init} creates equals what Kamailio 5.6.3's own scripts create, per engine:
 * columns (order, type, nullability, default), indexes (name, uniqueness, columns) and version
 * rows, read back from the engine's catalog.
 */
class SchemaMatchesKamailioTest {
    @TempDir
    Path dir;

    @Test
    void sqlite() {
        String ours = TestDatabases.sqlite(dir);
        String theirs = "sqlite:///" + dir.resolve("kamailio.sqlite");
        KamailioScripts.load(theirs);
        same(theirs, ours);
    }

    @Test
    void mariadb() {
        String ours = TestDatabases.mariadb();
        String theirs = TestDatabases.emptyDatabase(TestDatabases.mariadbServer());
        KamailioScripts.load(theirs);
        same(theirs, ours);
    }

    @Test
    void postgres() {
        String ours = TestDatabases.postgres();
        String theirs = TestDatabases.emptyDatabase(TestDatabases.postgresServer());
        KamailioScripts.load(theirs);
        same(theirs, ours);
    }

    /** kemi db init on a server without the database creates it, then the tables (kamdbctl create). */
    @Test
    void kemiDbInitCreatesTheDatabaseFirst() {
        for (DbServer server : List.of(TestDatabases.mariadbServer(), TestDatabases.postgresServer())) {
            String theirs = TestDatabases.emptyDatabase(server);
            KamailioScripts.load(theirs);
            String ours = server.url("kinit_" + ProcessHandle.current().pid());
            assertEquals(0, new picocli.CommandLine(new dev.kemi.runtime.cli.Main()).execute("db", "init", ours));
            same(theirs, ours);
        }
    }

    private static void same(String kamailios, String ours) {
        String expected = describe(kamailios);
        assertTrue(expected.contains("location col | expires") && expected.contains("version | location | 9"), expected);
        assertEquals(expected, describe(ours));
    }

    /** The catalog's view of every Kamailio table, one line per column / index / version row. */
    static String describe(String url) {
        List<String> out = new ArrayList<>();
        try (StandaloneDatabase sdb = StandaloneDatabase.open(url)) {
            Database db = sdb.database();
            for (Table t : KamailioSchema.TABLES) {
                String n = t.name();
                switch (db.engine()) {
                    case SQLITE -> {
                        lines(out, n + " col", db.raw("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?)", List.of(DbValue.of(n))).rows());
                        for (DbRow ix : db.raw("SELECT name, \"unique\" FROM pragma_index_list(?) ORDER BY name", List.of(DbValue.of(n))).rows()) {
                            lines(out, n + " index " + ix.getString("name") + " unique=" + ix.getString("unique"),
                                    db.raw("SELECT seqno, name FROM pragma_index_info(?) ORDER BY seqno", List.of(DbValue.of(ix.getString("name")))).rows());
                        }
                    }
                    case MYSQL -> {
                        lines(out, n + " col", db.raw("SELECT COLUMN_NAME, ORDINAL_POSITION, COLUMN_DEFAULT, IS_NULLABLE, COLUMN_TYPE, EXTRA, COLUMN_KEY"
                                + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION",
                                List.of(DbValue.of(n))).rows());
                        lines(out, n + " index", db.raw("SELECT INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME FROM information_schema.STATISTICS"
                                + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY INDEX_NAME, SEQ_IN_INDEX",
                                List.of(DbValue.of(n))).rows());
                    }
                    case POSTGRES -> {
                        lines(out, n + " col", db.raw("SELECT column_name, ordinal_position, column_default, is_nullable, data_type,"
                                + " character_maximum_length, numeric_precision FROM information_schema.columns"
                                + " WHERE table_schema = 'public' AND table_name = ? ORDER BY ordinal_position", List.of(DbValue.of(n))).rows());
                        lines(out, n + " index", db.raw("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
                                + " AND tablename = ? ORDER BY indexname", List.of(DbValue.of(n))).rows());
                    }
                }
            }
            lines(out, "version", db.raw("SELECT table_name, table_version FROM version ORDER BY table_name").rows());
        }
        return String.join("\n", out);
    }

    private static void lines(List<String> out, String prefix, List<DbRow> rows) {
        for (DbRow r : rows) {
            StringBuilder sb = new StringBuilder(prefix);
            for (DbValue v : r.values()) sb.append(" | ").append(v);
            out.add(sb.toString());
        }
    }
}
