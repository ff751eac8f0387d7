package dev.kemi.tests.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway database server process (MariaDB or PostgreSQL) on a loopback port with its own
 * data directory. {@link #stop()} and {@link #start()} may be called mid-test (fault tests);
 * the data directory survives a stop.
 */
public abstract class DbServer {
    protected final Path dir;
    protected final String host;
    protected final int port;
    private Process process;

    protected DbServer(Path dir, String host, int port) {
        this.dir = dir;
        this.host = host;
        this.port = port;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** The server's command line (run in the foreground, so its pid is ours to stop). */
    protected abstract List<String> command();

    /** The signal that makes it shut down without waiting for clients (TERM, INT ...). */
    protected abstract String stopSignal();

    /** An administrator JDBC connection. */
    protected abstract Connection admin() throws SQLException;

    /** Whether the server takes logins yet. */
    protected boolean accepting() throws SQLException {
        try (Connection c = admin()) {
            return true;
        }
    }

    /** A Kamailio URL for {@code database} with the test user. */
    public abstract String url(String database);

    /** Creates an empty database the test user owns. */
    public abstract void createDatabase(String name);

    /** Starts the server on its port and returns once it accepts logins. */
    public synchronized void start() {
        if (process != null && process.isAlive()) return;
        try {
            process = new ProcessBuilder(command()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException(getClass().getSimpleName() + " exited: " + log());
            if (listening()) {
                try {
                    if (accepting()) return;
                } catch (SQLException e) {
                    last = e;
                }
            }
            pause();
        }
        stop();
        throw new IllegalStateException(getClass().getSimpleName() + " did not start on " + host + ":" + port + ": " + last + "\n" + log());
    }

    /** Stops the server by its pid and waits until it has exited. */
    public synchronized void stop() {
        if (process == null) return;
        try {
            if (process.isAlive()) {
                new ProcessBuilder("kill", "-" + stopSignal(), Long.toString(process.pid())).start().waitFor();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    private boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100); // polling a server that another process starts: nothing to await
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs statements as administrator. */
    protected void adminExec(String... sql) {
        try (Connection c = admin(); Statement s = c.createStatement()) {
            for (String q : sql) s.execute(q);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static void run(List<String> cmd, Path log) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + Files.readString(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String log() {
        try {
            String s = Files.readString(dir.resolve("server.log"));
            return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
