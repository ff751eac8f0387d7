package dev.kemi.tests.bridge;

import dev.kemi.runtime.rtpproxy.RtpProxyArgs;
import dev.kemi.runtime.rtpproxy.RtpProxyServer;
import dev.kemi.tests.Kamailio;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The same scenario on Kamailio 5.6.3, the reference the scripts must keep working on: the
 * cfg without Kemi Proxy's {@code relay} modparam, and the relay it names run here instead, as
 * the seed runs rtpproxy next to Kamailio.
 */
final class KamailioBridge implements AutoCloseable {

    private static final Pattern RELAY = Pattern.compile("(?m)^modparam\\(\"rtpproxy\", \"relay\", \"([^\"]*)\"\\)\\R");

    private final Path dir;
    private final RtpProxyServer relay;
    private final Kamailio kamailio;

    private KamailioBridge(Path dir, RtpProxyServer relay, Kamailio kamailio) {
        this.dir = dir;
        this.relay = relay;
        this.kamailio = kamailio;
    }

    static boolean installed() {
        return Kamailio.installed();
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
        RtpProxyServer relay = new RtpProxyServer(RtpProxyArgs.parse(m.group(1).split("\\s+")));
        relay.start();
        Path run = Files.createDirectories(dir.resolve("run"));
        return new KamailioBridge(dir, relay, Kamailio.start(dir.resolve("kamailio.cfg"), run, 64));
    }

    /** What Kamailio logged, for failure messages. */
    String log() {
        return kamailio.log();
    }

    @Override
    public void close() {
        kamailio.close();
        relay.stop();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp files: best effort
        }
    }
}
