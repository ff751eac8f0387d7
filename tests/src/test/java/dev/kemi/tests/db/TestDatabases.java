package dev.kemi.tests.db;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kemi.runtime.db.StandaloneDatabase;
import dev.kemi.runtime.db.DbUrl;
import dev.kemi.runtime.db.schema.Ddl;
import dev.kemi.runtime.db.schema.KamailioSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Real database servers for the tests, each a Kamailio db_url with Kamailio's schema in it.
 * <pre>{@code
 * String url = TestDatabases.mariadb();            // fresh database on a throwaway MariaDB
 * String pg  = TestDatabases.postgres();           // same on PostgreSQL
 * String lite = TestDatabases.sqlite(tempDir);     // a new SQLite file
 * modparam("usrloc", "db_url", url) ...
 * TestDatabases.mariadbServer().stop(); ... .start();   // fault tests
 * }</pre>
 * The servers start once per test JVM (MariaDB and PostgreSQL from the Debian packages, own
 * data directory, a free port on 127.0.13.250, or on the address in {@code -Dkemi.test.dbhost}) and
 * are stopped by pid when it exits. Every call gives a new database, so tests do not share rows.
 * A missing server binary skips the test, except under CI ({@code CI=true}), where it fails.
 * The tables come from {@code kemi db init}'s schema; {@link KamailioScripts#load} loads
 * Kamailio's own create scripts instead.
 */
public final class TestDatabases {
    private static final String HOST = System.getProperty("kemi.test.dbhost", "127.0.13.250");
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static MariaDbServer mariadb;
    private static PostgresServer postgres;

    private TestDatabases() {}

    /** A fresh MariaDB database with Kamailio's tables: {@code mysql://kamailio:kamailiorw@HOST:PORT/kN}. */
    public static String mariadb() {
        return fresh(mariadbServer());
    }

    /** A fresh PostgreSQL database with Kamailio's tables: {@code postgres://kamailio:kamailiorw@HOST:PORT/kN}. */
    public static String postgres() {
        return fresh(postgresServer());
    }

    /** A new SQLite file in {@code dir} with Kamailio's tables: {@code sqlite:////DIR/kN.sqlite}. */
    public static String sqlite(Path dir) {
        String url = "sqlite:///" + dir.toAbsolutePath().resolve("k" + SEQ.incrementAndGet() + ".sqlite");
        initSchema(url);
        return url;
    }

    /** An empty database (no tables) on the server, for tests of schema creation. */
    public static String emptyDatabase(DbServer server) {
        String name = "k" + ProcessHandle.current().pid() + "_" + SEQ.incrementAndGet();
        server.createDatabase(name);
        return server.url(name);
    }

    /** The engine of a URL ("mysql", "postgres", "sqlite"), for cfg text that loads the driver. */
    public static String driverModule(String url) {
        return DbUrl.parse(url).moduleName();
    }

    public static synchronized MariaDbServer mariadbServer() {
        requirePeer(MariaDbServer.installed(), "MariaDB (mariadb-server) not installed");
        if (mariadb == null) {
            mariadb = MariaDbServer.create(tempDir("kemi-mariadb"), HOST, freePort());
            stopAtExit(mariadb);
        }
        if (!mariadb.running()) mariadb.start();
        return mariadb;
    }

    public static synchronized PostgresServer postgresServer() {
        requirePeer(PostgresServer.installed(), "PostgreSQL 15 (postgresql) not installed");
        if (postgres == null) {
            postgres = PostgresServer.create(tempDir("kemi-postgres"), HOST, freePort());
            stopAtExit(postgres);
        }
        if (!postgres.running()) postgres.start();
        return postgres;
    }

    /**
     * A peer the test needs: missing, the test is skipped, or fails under CI (CI=true), where
     * every peer must be installed.
     */
    public static void requirePeer(boolean present, String what) {
        if (present) return;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) fail(what + " (required under CI)");
        assumeTrue(false, what);
    }

    /** Creates Kamailio's tables with our schema (what {@code kemi db init URL} does). */
    public static void initSchema(String url) {
        try (StandaloneDatabase db = StandaloneDatabase.open(url)) {
            Ddl.install(db.database(), KamailioSchema.TABLES);
        }
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static String fresh(DbServer server) {
        String url = emptyDatabase(server);
        initSchema(url);
        return url;
    }

    private static Path tempDir(String prefix) {
        try {
            Path d = Files.createTempDirectory(prefix);
            d.toFile().setReadable(true, false);
            d.toFile().setExecutable(true, false);
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void stopAtExit(DbServer s) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            s.stop();
            deleteTree(s.dir);
        }));
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp files: best effort
        }
    }
}
