package dev.kemi.tests.reload;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Kamailio 5.6.3 in the foreground with a cfg from a directory, listening on one loopback UDP port. */
final class Kamailio implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/sbin/kamailio");
    private final Process process;
    private final Path log;

    private Kamailio(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts it and returns once it holds the port. */
    static Kamailio start(Path cfg, int port) throws IOException, InterruptedException {
        Path dir = cfg.getParent();
        Path log = dir.resolve("kamailio.log");
        Process p = new ProcessBuilder(BINARY.toString(), "-f", cfg.toString(), "-DD", "-E", "-w", dir.toString(),
                "-Y", dir.toString(), "-m", "64", "-M", "16").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Kamailio k = new Kamailio(p, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!UdpPorts.bound(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                k.close();
                throw new IllegalStateException("kamailio did not bind port " + port + ": " + Files.readString(log));
            }
            Thread.sleep(50); // polling a port that another process binds: nothing to await
        }
        return k;
    }

    @Override
    public void close() {
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
