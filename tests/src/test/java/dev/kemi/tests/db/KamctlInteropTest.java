package dev.kemi.tests.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.runtime.cli.Main;
import dev.kemi.runtime.db.DbResult;
import dev.kemi.runtime.db.StandaloneDatabase;
import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.SipWire;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A database made by {@code kemi db init} + {@code kemi db add} is used by Kamailio's own kamctl,
 * and one made by {@code kamdbctl create} + {@code kamctl add} is used by us (SQLite).
 */
class KamctlInteropTest {
    static final Path KAMCTL = Path.of("/usr/sbin/kamctl");
    static final Path KAMDBCTL = Path.of("/usr/sbin/kamdbctl");

    @TempDir
    Path dir;

    /** kamctl/kamdbctl with a private ~/.kamctlrc pointing at the file. */
    String kamctl(Path tool, Path db, String... args) {
        TestDatabases.requirePeer(Files.isExecutable(tool) && Files.isExecutable(Path.of("/usr/bin/sqlite3")), tool + " or sqlite3 not installed");
        try {
            Files.writeString(dir.resolve(".kamctlrc"), "DBENGINE=SQLITE\nDB_PATH=" + db + "\nINSTALL_EXTRA_TABLES=no\n"
                    + "INSTALL_PRESENCE_TABLES=no\nINSTALL_DBUID_TABLES=no\nVERIFY_ACL=0\n");
            ProcessBuilder pb = new ProcessBuilder(tool.toString());
            for (String a : args) pb.command().add(a);
            pb.environment().put("HOME", dir.toString());
            Process p = pb.redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), tool + " " + String.join(" ", args) + ": " + out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int kemi(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    static String md5(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes()));
    }

    @Test
    void kamctlUsesWhatKemiDbCreates() throws Exception {
        Path db = dir.resolve("ours.sqlite");
        String url = "sqlite:///" + db;
        assertEquals(0, kemi("db", "init", url));
        assertEquals(0, kemi("db", "add", "alice", "example.com", "secret", "--url", url));
        assertEquals(1, kemi("db", "add", "alice", "example.com", "secret", "--url", url), "a second add of the same user fails");
        String shown = kamctl(KAMCTL, db, "db", "show", "subscriber");
        assertTrue(shown.contains("alice|example.com|secret|" + md5("alice:example.com:secret") + "|"
                + md5("alice@example.com:example.com:secret")), shown);
        // kamctl writes into our tables, with the same hashes we compute
        kamctl(KAMCTL, db, "add", "bob@example.com", "pw2");
        try (StandaloneDatabase s = StandaloneDatabase.open(url)) {
            DbResult r = s.database().raw("SELECT ha1, ha1b, password FROM subscriber WHERE username = 'bob'");
            assertEquals(md5("bob:example.com:pw2"), r.row(0).getString("ha1"));
            assertEquals(md5("bob@example.com:example.com:pw2"), r.row(0).getString("ha1b"));
        }
    }

    @Test
    void weUseWhatKamdbctlCreates() throws Exception {
        Path db = dir.resolve("kamailio.sqlite");
        kamctl(KAMDBCTL, db, "create");
        kamctl(KAMCTL, db, "add", "carol@example.com", "pw3");
        String url = "sqlite:///" + db;
        assertEquals(0, kemi("db", "add", "dave", "example.com", "pw4", "--url", url));
        try (StandaloneDatabase s = StandaloneDatabase.open(url)) {
            s.database().checkTableVersion("subscriber", 7);
            s.database().checkTableVersion("location", 9);
            assertEquals(2, s.database().raw("SELECT * FROM subscriber").size());
        }
        String shown = kamctl(KAMCTL, db, "db", "show", "subscriber");
        assertTrue(shown.contains("dave|example.com|pw4|" + md5("dave:example.com:pw4")), shown);
        String cfg = DbFaultsTest.cfg("db_sqlite", url).replace("select count(*) from version", "select count(*) from subscriber");
        try (ProxyUnderTest p = ProxyUnderTest.start(cfg)) {
            SipWire r = SqlopsTest.ask(p, "x");
            assertEquals("versions 2", r.reason());
        }
    }
}
