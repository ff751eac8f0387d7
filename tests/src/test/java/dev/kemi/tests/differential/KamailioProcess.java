package dev.kemi.tests.differential;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Kamailio 5.6.3 in the foreground on loopback, from a cfg file, as the reference. */
final class KamailioProcess implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/sbin/kamailio");
    private final Process process;
    private final Path log;

    private KamailioProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /** Starts it and waits until it holds the UDP port (so datagrams sent from now on are queued for it). */
    static KamailioProcess start(Path cfg, Path dir, List<InetSocketAddress> udpSockets) {
        Path log = dir.resolve("kamailio.log");
        try {
            Process p = new ProcessBuilder(BINARY.toString(), "-f", cfg.toString(), "-DD", "-E", "-w", dir.toString(),
                    "-Y", dir.toString(), "-m", "64", "-M", "16")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            KamailioProcess k = new KamailioProcess(p, log);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            for (InetSocketAddress a : udpSockets) {
                while (!bound(a)) {
                    if (!p.isAlive()) throw new IllegalStateException("kamailio exited: " + k.log());
                    if (System.nanoTime() > deadline) {
                        k.close();
                        throw new IllegalStateException("kamailio did not bind " + a + ": " + k.log());
                    }
                    Thread.sleep(50); // polling a port that something else binds: nothing to await
                }
            }
            return k;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean bound(InetSocketAddress a) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(a.getHostString()), a.getPort()))) {
            return false;
        } catch (IOException inUse) {
            return true;
        }
    }

    String log() {
        try {
            String s = Files.readString(log);
            return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
        } catch (IOException e) {
            return "(no log)";
        }
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
