package dev.kemi.tests.differential;

import java.io.IOException;
import java.io.UncheckedIOException;
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

    /**
     * Whether some process holds that UDP address, read from /proc/net/udp. Probing by binding it
     * ourselves would race Kamailio's own bind ("Address already in use").
     */
    private static boolean bound(InetSocketAddress a) {
        byte[] ip = a.getAddress().getAddress();
        String local = String.format(" %02X%02X%02X%02X:%04X ", ip[3] & 0xff, ip[2] & 0xff, ip[1] & 0xff, ip[0] & 0xff, a.getPort());
        try {
            return Files.readString(Path.of("/proc/net/udp")).contains(local);
        } catch (IOException e) {
            return false;
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
