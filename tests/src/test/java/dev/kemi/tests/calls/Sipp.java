package dev.kemi.tests.calls;

import dev.kemi.tests.ProxyUnderTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One SIPp instance on 127.0.0.1 running a scenario from src/test/resources/calls (placeholders
 * filled in), bounded by -timeout, tracing every message to a file for the wire assertions.
 */
final class Sipp {
    static final Path BINARY = Path.of("/usr/bin/sipp");
    private static final Path SCENARIOS = Path.of(System.getProperty("kemi.root", ".."))
            .resolve("tests/src/test/resources/calls").toAbsolutePath().normalize();

    private final String name;
    private final Path dir;
    private final List<String> args = new ArrayList<>();
    private final int port = ProxyUnderTest.freePort();
    private boolean tcp;
    private Process process;

    /** {@code name} names the trace files in {@code dir}. */
    Sipp(String name, Path dir, String scenario, Map<String, String> placeholders) throws IOException {
        this.name = name;
        this.dir = dir;
        String text = Files.readString(SCENARIOS.resolve(scenario));
        String headers = placeholders.getOrDefault("headers", "");
        // an empty line would end the headers: drop the placeholder's line when there are none
        text = text.replaceAll("[ \\t]*\\{headers\\}\\n", headers.isEmpty() ? "" : "      " + headers + "\n");
        for (Map.Entry<String, String> p : placeholders.entrySet()) text = text.replace("{" + p.getKey() + "}", p.getValue());
        text = text.replace("{ruri_params}", "").replace("{timewait}", "500");
        Path file = dir.resolve(name + ".xml");
        Files.writeString(file, text);
        args.addAll(List.of(BINARY.toString(), "-sf", file.toString(), "-i", "127.0.0.1", "-p", Integer.toString(port),
                "-nostdin", "-cp", Integer.toString(ProxyUnderTest.freePort()), "-trace_msg", "-message_file",
                trace().toString(), "-trace_err", "-error_file", dir.resolve(name + ".errors").toString()));
    }

    int port() {
        return port;
    }

    Sipp tcp() {
        tcp = true;
        return arg("-t", "t1");
    }

    Sipp arg(String... more) {
        args.addAll(List.of(more));
        return this;
    }

    /** -m calls, -r rate per second, -timeout bound in seconds. */
    Sipp calls(int calls, int rate, int timeoutSeconds) {
        return arg("-m", Integer.toString(calls), "-r", Integer.toString(rate), "-timeout", timeoutSeconds + "s",
                "-timeout_error");
    }

    /** As UAS: starts and returns once SIPp listens on its port. */
    Sipp startUas() throws Exception {
        start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (isFree()) {
            if (!process.isAlive() || System.nanoTime() > deadline)
                throw new IllegalStateException(name + " did not bind port " + port + ": " + Files.readString(dir.resolve(name + ".out")));
            Thread.sleep(20); // polling SIPp's bind: there is nothing to await on
        }
        return this;
    }

    /** As UAC towards {@code target} (the R-URI host:port) through the proxy at {@code proxyPort}. */
    Sipp startUac(String target, int proxyPort) throws Exception {
        arg(target, "-rsa", "127.0.0.1:" + proxyPort);
        start();
        return this;
    }

    private void start() throws IOException {
        process = new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".out").toFile()).start();
    }

    /**
     * Whether nothing holds the port yet, read from /proc/net: probing by binding the port
     * ourselves would race SIPp's own bind ("Address already in use").
     */
    private boolean isFree() throws IOException {
        // a TCP socket counts once listening (state 0A), not for a connection from that port
        String local = String.format(tcp ? " 0100007F:%04X 00000000:0000 0A " : " 0100007F:%04X ", port);
        return !Files.readString(Path.of("/proc/net", tcp ? "tcp" : "udp")).contains(local);
    }

    /** Waits for SIPp to end (its own -timeout bounds it) and returns its exit code. */
    int await() throws InterruptedException {
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        return process.exitValue();
    }

    void kill() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(3, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    Path trace() {
        return dir.resolve(name + ".msg");
    }

    /** What SIPp sent and received. */
    SippTrace messages() throws IOException {
        return SippTrace.read(trace());
    }
}
