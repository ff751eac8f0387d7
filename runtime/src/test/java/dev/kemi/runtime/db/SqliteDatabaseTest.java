package dev.kemi.runtime.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.runtime.db.sqlite.DbSqliteModule;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteDatabaseTest {
    @TempDir
    Path dir;

    private DbSqliteModule driver;
    private Database db;
    private Path file;

    @BeforeEach
    void open() throws Exception {
        file = dir.resolve("k.sqlite");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE version (id INTEGER PRIMARY KEY NOT NULL, table_name VARCHAR(32) NOT NULL, table_version INTEGER DEFAULT 0 NOT NULL)");
            s.execute("INSERT INTO version (table_name, table_version) VALUES ('location', 9)");
            s.execute("CREATE TABLE location (id INTEGER PRIMARY KEY NOT NULL, username VARCHAR(64) DEFAULT '' NOT NULL,"
                    + " contact VARCHAR(512) DEFAULT '' NOT NULL, expires TIMESTAMP WITHOUT TIME ZONE DEFAULT '2030-05-28 21:32:15' NOT NULL,"
                    + " q REAL DEFAULT 1.0 NOT NULL, cseq INTEGER DEFAULT 1 NOT NULL)");
        }
        driver = new DbSqliteModule();
        db = driver.open(DbUrl.parse("sqlite:///" + file));
    }

    @AfterEach
    void close() {
        driver.shutdown();
    }

    private static Map<String, DbValue> row(String user, String contact, Instant expires, double q) {
        Map<String, DbValue> m = new LinkedHashMap<>();
        m.put("username", DbValue.of(user));
        m.put("contact", DbValue.of(contact));
        m.put("expires", DbValue.of(expires));
        m.put("q", DbValue.of(q));
        return m;
    }

    @Test
    void datetimeIsWrittenAsKamailioJulianDayAndReadBack() throws Exception {
        Instant exp = Instant.ofEpochSecond(1_800_000_000L);
        assertEquals(1, db.insert("location", row("alice", "sip:alice@127.0.0.1", exp, 0.5)));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT typeof(expires), expires FROM location")) {
            rs.next();
            assertEquals("real", rs.getString(1));
            assertEquals(((1_800_000_000L - 0.5) / 86400.0) + 2440587.5, rs.getDouble(2), 1e-9);
        }
        DbResult r = db.query("location", List.of(DbCond.eq("username", "alice")), List.of("contact", "expires", "q"), null);
        assertEquals(1, r.size());
        assertEquals(DbType.DATETIME, r.columns().types().get(1));
        assertEquals(exp, r.row(0).getInstant("expires"));
        assertEquals(0.5, r.row(0).getDouble("q"));
    }

    @Test
    void textDatetimeIsReadToo() {
        db.raw("INSERT INTO location (username, expires) VALUES ('bob', '2030-01-02 03:04:05')");
        Instant t = db.query("location", List.of(DbCond.eq("username", "bob")), List.of("expires"), null).row(0).getInstant("expires");
        assertEquals(Instant.parse("2030-01-02T03:04:05Z"), t);
    }

    @Test
    void updateDeleteReplaceAndOrder() {
        db.insert("location", row("a", "sip:1", Instant.now(), 0.1));
        db.insert("location", row("a", "sip:2", Instant.now(), 0.9));
        DbResult r = db.query("location", List.of(DbCond.eq("username", "a")), List.of("contact"), "q");
        assertEquals("sip:1", r.row(0).getString("contact"));
        assertEquals(1, db.update("location", List.of(DbCond.eq("contact", "sip:2")), Map.of("cseq", DbValue.of(7))));
        assertEquals(7, db.query("location", List.of(DbCond.eq("contact", "sip:2")), List.of(), null).row(0).getInt("cseq"));
        db.replace("location", row("a", "sip:2", Instant.now(), 0.3), List.of("contact"));
        db.replace("location", row("c", "sip:3", Instant.now(), 0.3), List.of("contact"));
        assertEquals(3, db.query("location", List.of(), List.of(), null).size());
        assertEquals(0.3, db.query("location", List.of(DbCond.eq("contact", "sip:2")), List.of("q"), null).row(0).getDouble("q"));
        assertEquals(2, db.delete("location", List.of(DbCond.eq("username", "a"))));
        assertEquals(1, db.query("location", List.of(new DbCond("q", DbOp.GT, DbValue.of(0.0))), List.of(), null).size());
    }

    @Test
    void valuesAreBoundNeverSpliced() {
        String evil = "x' OR '1'='1";
        db.insert("location", row(evil, "sip:e", Instant.now(), 1));
        db.insert("location", row("other", "sip:o", Instant.now(), 1));
        assertEquals(1, db.query("location", List.of(DbCond.eq("username", evil)), List.of(), null).size());
        assertEquals(evil, db.raw("SELECT username FROM location WHERE username = ?", List.of(DbValue.of(evil))).row(0).getString("username"));
        assertThrows(DbException.class, () -> db.query("location; DROP TABLE location", List.of(), List.of(), null));
    }

    @Test
    void tableVersionAsKamailioChecksIt() {
        db.checkTableVersion("location", 9);
        DbException e = assertThrows(DbException.class, () -> db.checkTableVersion("location", 8));
        assertEquals("invalid version 9 for table location found, expected 8 (check table structure and table \"version\")", e.getMessage());
        DbException none = assertThrows(DbException.class, () -> db.checkTableVersion("subscriber", 7));
        assertTrue(none.getMessage().startsWith("invalid version 0 for table subscriber"), none.getMessage());
    }

    @Test
    void sameUrlSharesOnePool() {
        assertTrue(db == driver.open(DbUrl.parse("sqlite:///" + file)));
    }
}
