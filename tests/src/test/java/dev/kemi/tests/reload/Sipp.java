package dev.kemi.tests.reload;

import dev.kemi.tests.ProxyUnderTest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** SIPp processes on 127.0.0.1 with the shared scenarios (tests/src/test/resources/sipp), their traces in a directory. */
final class Sipp {
    static final Path BINARY = Path.of("/usr/bin/sipp");
    private static final Path SCENARIOS = Path.of(System.getProperty("kemi.root", ".."), "tests/src/test/resources/sipp")
            .toAbsolutePath().normalize();

    private Sipp() {}

    /**
     * A UAS on {@code port} answering {@code calls} calls, returned once it listens; every message
     * it sees goes to {@code name}.msg.
     */
    static Process uas(Path dir, String name, int port, int calls) throws IOException, InterruptedException {
        Process p = start(dir, name, List.of("-sf", SCENARIOS.resolve("uas_rr.xml").toString(), "-p", Integer.toString(port),
                "-m", Integer.toString(calls), "-trace_msg", "-message_file", dir.resolve(name + ".msg").toString()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (isFree(port)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IllegalStateException(name + " did not bind port " + port + ": " + Files.readString(dir.resolve(name + ".out")));
            }
            Thread.sleep(20); // polling SIPp's bind: it has no readiness signal to await
        }
        return p;
    }

    /**
     * A UAC placing {@code calls} calls at {@code rate} per second through {@code proxyPort};
     * statistics in {@code name}.csv, every message in {@code name}.msg.
     */
    static Process uac(Path dir, String name, int proxyPort, int rate, int calls) throws IOException {
        return start(dir, name, List.of("-sf", SCENARIOS.resolve("uac_rr.xml").toString(), "-p", Integer.toString(ProxyUnderTest.freePort()),
                "-r", Integer.toString(rate), "-m", Integer.toString(calls), "-timeout", "240s", "-timeout_error",
                "-trace_stat", "-stf", dir.resolve(name + ".csv").toString(), "-fd", "5",
                "-trace_msg", "-message_file", dir.resolve(name + ".msg").toString(), "127.0.0.1:" + proxyPort));
    }

    private static boolean isFree(int port) {
        return !UdpPorts.bound(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    private static Process start(Path dir, String name, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "-i", "127.0.0.1", "-nostdin",
                "-cp", Integer.toString(ProxyUnderTest.freePort())));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".out").toFile()).start();
    }

    /** The cumulative counters of the last line of a -trace_stat file ("SuccessfulCall(C)" ...). */
    static Map<String, String> finalStats(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        String[] head = lines.get(0).split(";");
        String[] last = lines.get(lines.size() - 1).split(";");
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < Math.min(head.length, last.length); i++) out.put(head[i], last[i]);
        return out;
    }
}
