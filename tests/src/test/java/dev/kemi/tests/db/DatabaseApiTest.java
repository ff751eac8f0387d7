package dev.kemi.tests.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.runtime.db.Database;
import dev.kemi.runtime.db.DbCond;
import dev.kemi.runtime.db.DbException;
import dev.kemi.runtime.db.DbOp;
import dev.kemi.runtime.db.DbResult;
import dev.kemi.runtime.db.DbType;
import dev.kemi.runtime.db.DbValue;
import dev.kemi.runtime.db.StandaloneDatabase;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The module-facing DB API on the three engines, on Kamailio's location and version tables. */
class DatabaseApiTest {
    @TempDir
    static Path dir;

    static String url(String engine) {
        return switch (engine) {
            case "sqlite" -> TestDatabases.sqlite(dir);
            case "mariadb" -> TestDatabases.mariadb();
            default -> TestDatabases.postgres();
        };
    }

    static Map<String, DbValue> contact(String ruid, String user, String contact, Instant expires, double q, int cseq) {
        Map<String, DbValue> m = new LinkedHashMap<>();
        m.put("ruid", DbValue.of(ruid));
        m.put("username", DbValue.of(user));
        m.put("domain", DbValue.nullOf(DbType.STRING));
        m.put("contact", DbValue.of(contact));
        m.put("expires", DbValue.of(expires));
        m.put("q", DbValue.of(q));
        m.put("cseq", DbValue.of(cseq));
        m.put("last_modified", DbValue.of(Instant.ofEpochSecond(1_700_000_000L)));
        return m;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "mariadb", "postgres"})
    void crudTypesAndVersions(String engine) {
        try (StandaloneDatabase s = StandaloneDatabase.open(url(engine))) {
            Database db = s.database();
            db.checkTableVersion("location", 9);
            db.checkTableVersion("subscriber", 7);
            DbException bad = assertThrows(DbException.class, () -> db.checkTableVersion("location", 10));
            assertEquals("invalid version 9 for table location found, expected 10 (check table structure and table \"version\")", bad.getMessage());

            Instant exp = Instant.ofEpochSecond(1_900_000_123L);
            assertEquals(1, db.insert("location", contact("r1", "alice", "sip:a1@127.0.13.5", exp, 0.5, 1)));
            assertEquals(1, db.insert("location", contact("r2", "alice", "sip:a2@127.0.13.5", exp, 1.0, 1)));
            String evil = "bob' OR '1'='1";
            db.insert("location", contact("r3", evil, "sip:b@127.0.13.5", exp, 1.0, 1));

            DbResult r = db.query("location", List.of(DbCond.eq("username", "alice")), List.of("ruid", "expires", "q", "cseq", "domain"), "q");
            assertEquals(2, r.size());
            assertEquals("r1", r.row(0).getString("ruid"));
            assertEquals(exp, r.row(0).getInstant("expires"));
            assertEquals(DbType.DATETIME, r.columns().types().get(1));
            assertEquals(0.5, r.row(0).getDouble("q"), 1e-6);
            assertEquals(DbType.INT, r.columns().types().get(3));
            assertTrue(r.row(0).isNull("domain"));
            assertEquals(1, db.query("location", List.of(DbCond.eq("username", evil)), List.of(), null).size());
            assertEquals(2, db.query("location", List.of(new DbCond("expires", DbOp.GE, DbValue.of(exp)),
                    DbCond.eq("username", "alice")), List.of("ruid"), null).size());

            assertEquals(1, db.update("location", List.of(DbCond.eq("ruid", "r2")), Map.of("cseq", DbValue.of(5))));
            assertEquals(5, db.query("location", List.of(DbCond.eq("ruid", "r2")), List.of("cseq"), null).row(0).getInt("cseq"));
            assertEquals(1, db.update("location", List.of(DbCond.eq("ruid", "r2")), Map.of("cseq", DbValue.of(5))), "same values: still matched");
            assertEquals(0, db.update("location", List.of(DbCond.eq("ruid", "nope")), Map.of("cseq", DbValue.of(5))));

            db.replace("location", contact("r2", "alice", "sip:a2@127.0.13.5", exp.plusSeconds(60), 0.7, 6), List.of("ruid"));
            db.replace("location", contact("r4", "carol", "sip:c@127.0.13.5", exp, 1.0, 1), List.of("ruid"));
            DbResult r2 = db.query("location", List.of(DbCond.eq("ruid", "r2")), List.of("cseq", "expires"), null);
            assertEquals(1, r2.size());
            assertEquals(6, r2.row(0).getInt("cseq"));
            assertEquals(exp.plusSeconds(60), r2.row(0).getInstant("expires"));
            assertEquals(4, db.query("location", List.of(), List.of("id"), null).size());

            DbResult raw = db.raw("SELECT count(*) AS n FROM location WHERE username = ?", List.of(DbValue.of("alice")));
            assertEquals(2, raw.row(0).getInt("n"));
            assertEquals(1, db.raw("UPDATE location SET flags = 3 WHERE ruid = ?", List.of(DbValue.of("r4"))).affectedRows());

            assertEquals(2, db.delete("location", List.of(DbCond.eq("username", "alice"))));
            assertEquals(2, db.query("location", List.of(), List.of(), null).size());
            assertThrows(DbException.class, () -> db.raw("SELECT nosuchcol FROM location"));
        }
    }
}
