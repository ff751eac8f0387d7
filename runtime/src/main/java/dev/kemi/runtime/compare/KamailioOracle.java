package dev.kemi.runtime.compare;

import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.transport.Protocol;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Real Kamailio as the judge of our predictions: starts {@code kamailio} on a side's cfg (its own
 * listen addresses, loopback only), plays the scenarios over real sockets, stops it by its pid.
 */
public final class KamailioOracle {
    private static final List<String> DIRS = List.of("/usr/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin");
    private static final long START_TIMEOUT_S = 20;

    private final Path binary;

    private KamailioOracle(Path binary) {
        this.binary = binary;
    }

    /** The installed kamailio, or null. */
    public static KamailioOracle installed() {
        for (String d : DIRS) {
            Path k = Path.of(d, "kamailio");
            if (Files.isExecutable(k)) return new KamailioOracle(k);
        }
        return null;
    }

    public Path binary() {
        return binary;
    }

    /**
     * Plays every scenario on Kamailio running {@code side}'s cfg.
     *
     * @param sockets where the cfg listens, as our proxy loaded it
     * @throws IllegalStateException when it cannot be judged (not loopback, Kamailio refused the cfg ...)
     */
    public List<CompareSession.Outcome> play(ConfigSide side, List<ListenSocket> sockets, List<Scenario> scenarios) throws Exception {
        ListenSocket target = target(sockets);
        Path dir = Files.createTempDirectory("kemi-oracle");
        Path log = dir.resolve("kamailio.log");
        Path cfgDir = side.cfg().toAbsolutePath().getParent();
        // -w: Kamailio chdirs there, so relative script paths (app_python3 "load") resolve against
        // the cfg's directory, as ours do
        Process k = new ProcessBuilder(binary.toString(), "-f", side.cfg().toAbsolutePath().toString(), "-DD", "-E",
                "-w", cfgDir.toString(), "-Y", dir.toString(), "-m", "64", "-M", "16")
                .directory(cfgDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitBound(target.address(), k, log);
            List<CompareSession.Outcome> out = new ArrayList<>();
            ConfigSide real = ConfigSide.real(target.address(), side.cfg());
            for (Scenario sc : scenarios) {
                try (RealDriver d = new RealDriver(target.address())) {
                    out.add(new CompareSession.Outcome(ScenarioRunner.run(sc, d, "kamailio " + real.label()), null));
                } catch (Exception e) {
                    out.add(new CompareSession.Outcome(null, e.getMessage() != null ? e.getMessage() : e.toString()));
                }
            }
            return out;
        } finally {
            stop(k);
            deleteTree(dir);
        }
    }

    /** The first UDP socket; every socket must be on loopback, as nothing else may receive our traffic. */
    private static ListenSocket target(List<ListenSocket> sockets) {
        if (sockets.isEmpty()) throw new IllegalStateException("the cfg has no listen socket");
        for (ListenSocket s : sockets) {
            if (!s.address().getAddress().isLoopbackAddress()) {
                throw new IllegalStateException("the cfg listens on " + s + ": the oracle runs Kamailio only on loopback addresses");
            }
            if (s.address().getPort() == 0) throw new IllegalStateException("the cfg listens on port 0 (" + s + ")");
        }
        return sockets.stream().filter(s -> s.proto() == Protocol.UDP).findFirst()
                .orElseThrow(() -> new IllegalStateException("the cfg has no UDP listen socket"));
    }

    /** Ready once its UDP socket is bound, as the kernel lists it (a probe bind could take the port from Kamailio). */
    private static void awaitBound(InetSocketAddress at, Process k, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_S);
        String local = procNetAddress(at);
        while (System.nanoTime() < deadline) {
            if (!k.isAlive()) throw new IllegalStateException("kamailio refused the cfg: " + lastLines(log));
            if (Files.readAllLines(Path.of("/proc/net/udp")).stream().anyMatch(l -> l.trim().split("\\s+")[1].equals(local))) return;
            k.waitFor(50, TimeUnit.MILLISECONDS);
        }
        throw new IllegalStateException("kamailio did not bind " + at + " within " + START_TIMEOUT_S + " s");
    }

    /** "0100007F:13C4" for 127.0.0.1:5060: /proc/net/udp's little-endian hex address and port. */
    static String procNetAddress(InetSocketAddress at) {
        byte[] a = at.getAddress().getAddress();
        if (a.length != 4) throw new IllegalStateException("the oracle needs an IPv4 loopback listen address, not " + at);
        return String.format("%02X%02X%02X%02X:%04X", a[3] & 0xff, a[2] & 0xff, a[1] & 0xff, a[0] & 0xff, at.getPort());
    }

    private static String lastLines(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            List<String> errors = lines.stream().filter(l -> l.contains("ERROR") || l.contains("CRITICAL")).toList();
            List<String> shown = errors.isEmpty() ? lines : errors;
            return String.join(" | ", shown.subList(Math.max(0, shown.size() - 3), shown.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** Its children too: the next cfg binds the same address. */
    private static void stop(Process k) throws InterruptedException {
        List<ProcessHandle> children = k.descendants().toList();
        k.destroy();
        if (!k.waitFor(10, TimeUnit.SECONDS)) k.destroyForcibly().waitFor();
        for (ProcessHandle c : children) {
            try {
                c.onExit().get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                c.destroyForcibly();
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind costs nothing
        }
    }
}
