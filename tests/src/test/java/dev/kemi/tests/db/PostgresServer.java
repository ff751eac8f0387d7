package dev.kemi.tests.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A throwaway PostgreSQL: initdb into a temp dir and postgres on a loopback port with a private
 * socket directory, run as the unprivileged "postgres" user when the tests run as root.
 */
public final class PostgresServer extends DbServer {
    public static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    public static final String USER = "kamailio";
    public static final String PASSWORD = "kamailiorw";
    private static final String OS_USER = "postgres";
    private static final String FALLBACK_USER = "kemi-pg";

    PostgresServer(Path dir, String host, int port) {
        super(dir, host, port);
    }

    public static boolean installed() {
        return Files.isExecutable(BIN.resolve("postgres")) && Files.isExecutable(BIN.resolve("initdb"));
    }

    static PostgresServer create(Path dir, String host, int port) {
        PostgresServer s = new PostgresServer(dir, host, port);
        if (TestDatabases.isRoot() && !userExists(OS_USER) && !userExists(FALLBACK_USER)) {
            // initdb refuses to run as root: an unprivileged user of our own when the package made none
            run(List.of("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", FALLBACK_USER), dir.resolve("install.log"));
        }
        try {
            Files.createDirectories(dir.resolve("sock"));
            if (TestDatabases.isRoot()) run(List.of("chown", "-R", osUser() + ":", dir.toString()), dir.resolve("install.log"));
            Path pw = dir.resolve("pw");
            Files.writeString(pw, PASSWORD + "\n");
            if (TestDatabases.isRoot()) run(List.of("chown", osUser() + ":", pw.toString()), dir.resolve("install.log"));
            run(s.asOsUser(List.of(BIN.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "postgres",
                    "--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile=" + pw, "-E", "UTF8", "--no-sync")),
                    dir.resolve("install.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        s.start();
        try {
            s.adminExec("CREATE ROLE " + USER + " LOGIN SUPERUSER PASSWORD '" + PASSWORD + "'");
        } catch (RuntimeException e) {
            s.stop();
            throw e;
        }
        return s;
    }

    private List<String> asOsUser(List<String> cmd) {
        if (!TestDatabases.isRoot()) return cmd;
        // setpriv execs in place: the pid we hold is the server's own
        String u = osUser();
        List<String> c = new ArrayList<>(List.of("setpriv", "--reuid=" + u, "--regid=" + u, "--init-groups", "--"));
        c.addAll(cmd);
        return c;
    }

    private static String osUser() {
        return userExists(OS_USER) ? OS_USER : FALLBACK_USER;
    }

    private static boolean userExists(String name) {
        try {
            return Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(l -> l.startsWith(name + ":"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected List<String> command() {
        return asOsUser(List.of(BIN.resolve("postgres").toString(), "-D", dir.resolve("data").toString(), "-p",
                Integer.toString(port), "-h", host, "-k", dir.resolve("sock").toString(), "-c", "fsync=off",
                "-c", "max_connections=300", "-c", "shared_buffers=32MB"));
    }

    @Override
    protected String stopSignal() {
        return "INT"; // fast shutdown: does not wait for the pools' connections to go away
    }

    @Override
    protected Connection admin() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/postgres?connectTimeout=2",
                "postgres", PASSWORD);
    }

    @Override
    public String url(String database) {
        return "postgres://" + USER + ":" + PASSWORD + "@" + host + ":" + port + "/" + database;
    }

    @Override
    public void createDatabase(String name) {
        adminExec("CREATE DATABASE \"" + name + "\" OWNER " + USER);
    }
}
