package dev.kemi.tests.db;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

/** A throwaway MariaDB: mariadb-install-db into a temp dir, mariadbd on a loopback port. */
public final class MariaDbServer extends DbServer {
    public static final Path MARIADBD = Path.of("/usr/sbin/mariadbd");
    public static final Path INSTALL_DB = Path.of("/usr/bin/mariadb-install-db");
    private static final Path CLIENT = Path.of("/usr/bin/mariadb");
    private static final Path ADMIN = Path.of("/usr/bin/mariadb-admin");
    private volatile boolean userReady;
    public static final String USER = "kamailio";
    public static final String PASSWORD = "kamailiorw";

    MariaDbServer(Path dir, String host, int port) {
        super(dir, host, port);
    }

    public static boolean installed() {
        return Files.isExecutable(MARIADBD) && Files.isExecutable(INSTALL_DB);
    }

    static MariaDbServer create(Path dir, String host, int port) {
        MariaDbServer s = new MariaDbServer(dir, host, port);
        List<String> install = new java.util.ArrayList<>(List.of(INSTALL_DB.toString(), "--no-defaults",
                "--datadir=" + dir.resolve("data"), "--auth-root-authentication-method=normal", "--skip-test-db"));
        if (TestDatabases.isRoot()) install.add("--user=root");
        run(install, dir.resolve("install.log"));
        s.start();
        try {
            run(List.of(CLIENT.toString(), "--no-defaults", "-S", dir.resolve("my.sock").toString(), "-u", "root", "-e",
                    "CREATE USER '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD + "'; GRANT ALL PRIVILEGES ON *.* TO '" + USER
                            + "'@'%' WITH GRANT OPTION;"), dir.resolve("install.log"));
        } catch (RuntimeException e) {
            s.stop();
            throw e;
        }
        s.userReady = true;
        return s;
    }

    @Override
    protected List<String> command() {
        List<String> cmd = new java.util.ArrayList<>(List.of(MARIADBD.toString(), "--no-defaults",
                "--datadir=" + dir.resolve("data"), "--socket=" + dir.resolve("my.sock"), "--port=" + port,
                "--bind-address=" + host, "--skip-name-resolve", "--pid-file=" + dir.resolve("mariadb.pid"),
                "--innodb-buffer-pool-size=32M", "--innodb-log-file-size=8M", "--skip-log-bin",
                "--max-connections=500", "--innodb-flush-log-at-trx-commit=2"));
        if (TestDatabases.isRoot()) cmd.add("--user=root");
        return cmd;
    }

    @Override
    protected String stopSignal() {
        return "TERM";
    }

    /** The test user has every privilege; root only logs in through the private socket. */
    @Override
    protected Connection admin() throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://" + host + ":" + port + "/?connectTimeout=1000", USER, PASSWORD);
    }

    @Override
    protected boolean accepting() throws SQLException {
        if (userReady) return super.accepting();
        try {
            Process p = new ProcessBuilder(ADMIN.toString(), "--no-defaults", "-S", dir.resolve("my.sock").toString(), "-u", "root",
                    "--connect-timeout=1", "ping").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor() == 0;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String url(String database) {
        return "mysql://" + USER + ":" + PASSWORD + "@" + host + ":" + port + "/" + database;
    }

    @Override
    public void createDatabase(String name) {
        adminExec("CREATE DATABASE `" + name + "`");
    }
}
