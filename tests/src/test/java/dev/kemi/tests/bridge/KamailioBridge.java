package dev.kemi.tests.bridge;

import dev.kemi.runtime.cli.RtpproxyCommand;
import dev.kemi.runtime.rtpproxy.RtpProxyServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The same scenario on Kamailio 5.6.3, the reference the scripts must keep working on: the
 * cfg without Kemi Proxy's {@code relay} modparam, and the relay it names run here instead, as
 * the seed runs rtpproxy next to Kamailio.
 */
final class KamailioBridge implements AutoCloseable {

    private static final Path KAMAILIO = Path.of("/usr/sbin/kamailio");
    private static final Path MODULES = Path.of("/usr/lib/x86_64-linux-gnu/kamailio/modules");
    private static final Pattern RELAY = Pattern.compile("(?m)^modparam\\(\"rtpproxy\", \"relay\", \"([^\"]*)\"\\)\\R");

    private final Path dir;
    private final RtpProxyServer relay;
    private final Process kamailio;

    private KamailioBridge(Path dir, RtpProxyServer relay, Process kamailio) {
        this.dir = dir;
        this.relay = relay;
        this.kamailio = kamailio;
    }

    static boolean installed() {
        return Files.isExecutable(KAMAILIO) && Files.isDirectory(MODULES);
    }

    /** {@code files} (KEMI scripts) are written next to the cfg, which loads them by absolute path. */
    static KamailioBridge start(String cfgText, Map<String, String> files) throws IOException {
        Matcher m = RELAY.matcher(cfgText);
        if (!m.find()) {
            throw new AssertionError("no relay modparam in the cfg");
        }
        Path dir = Files.createTempDirectory("kemi-bridge-kamailio");
        String cfg = m.replaceFirst("");
        for (Map.Entry<String, String> f : files.entrySet()) {
            Files.writeString(dir.resolve(f.getKey()), f.getValue());
            cfg = cfg.replace("\"" + f.getKey() + "\"", "\"" + dir.resolve(f.getKey()) + "\"");
        }
        Files.writeString(dir.resolve("kamailio.cfg"), cfg);
        RtpProxyServer relay = new RtpProxyServer(RtpproxyCommand.parse(m.group(1).split("\\s+")));
        relay.start();
        Path run = Files.createDirectories(dir.resolve("run"));
        Process kamailio = new ProcessBuilder(KAMAILIO.toString(), "-f", dir.resolve("kamailio.cfg").toString(),
                "-L", MODULES.toString(), "-DD", "-E", "-w", run.toString(), "-Y", run.toString(), "-m", "64", "-M", "16")
                .redirectErrorStream(true).redirectOutput(dir.resolve("kamailio.log").toFile()).start();
        return new KamailioBridge(dir, relay, kamailio);
    }

    /** What Kamailio logged, for failure messages. */
    String log() {
        try {
            return Files.readString(dir.resolve("kamailio.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() {
        kamailio.descendants().forEach(ProcessHandle::destroy);
        kamailio.destroy();
        try {
            if (!kamailio.waitFor(5, TimeUnit.SECONDS)) {
                kamailio.descendants().forEach(ProcessHandle::destroyForcibly);
                kamailio.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        relay.stop();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp files: best effort
        }
    }
}
