package dev.kemi.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Kamailio 5.6.3 in the foreground on loopback, from a cfg file: the reference the tests compare with. */
public final class Kamailio implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/sbin/kamailio");
    public static final Path MODULES = Path.of("/usr/lib/x86_64-linux-gnu/kamailio/modules");
    private final Process process;
    private final Path log;

    private Kamailio(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static boolean installed() {
        return Files.isExecutable(BINARY) && Files.isDirectory(MODULES);
    }

    /** Starts it with {@code dir} as working and runtime directory and its log in {@code dir/kamailio.log}. */
    public static Kamailio start(Path cfg, Path dir, int sharedMemoryMb) {
        Path log = dir.resolve("kamailio.log");
        try {
            Process p = new ProcessBuilder(BINARY.toString(), "-f", cfg.toString(), "-L", MODULES.toString(), "-DD", "-E",
                    "-w", dir.toString(), "-Y", dir.toString(), "-m", Integer.toString(sharedMemoryMb), "-M", "16")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new Kamailio(p, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts it and returns once it holds every one of these UDP addresses (datagrams sent from then on reach it). */
    public static Kamailio startBound(Path cfg, Path dir, List<InetSocketAddress> udpSockets) {
        Kamailio k = start(cfg, dir, 64);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try {
            for (InetSocketAddress a : udpSockets) {
                while (!LocalSockets.udpBound(a)) {
                    if (!k.process.isAlive() || System.nanoTime() > deadline) {
                        k.close();
                        throw new IllegalStateException("kamailio did not bind " + a + ": " + k.log());
                    }
                    Thread.sleep(50); // polling a port that another process binds: nothing to await
                }
            }
        } catch (InterruptedException e) {
            k.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return k;
    }

    /** Its working and runtime directory (its ctl socket goes there). */
    public Path dir() {
        return log.getParent();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The end of what it logged, for failure messages. */
    public String log() {
        try {
            String s = Files.readString(log);
            return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
