package dev.kemi.runtime.cli;

import dev.kemi.runtime.rtpproxy.RtpProxyArgs;
import dev.kemi.runtime.rtpproxy.RtpProxyOptions;
import dev.kemi.runtime.rtpproxy.RtpProxyServer;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code kemi rtpproxy}: the media relay alone, with rtpproxy's command-line options. */
@Command(name = "rtpproxy", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Run the rtpproxy-compatible media relay (Kamailio's rtpproxy module can drive it).")
public final class RtpproxyCommand implements Callable<Integer> {

    @Mixin
    RtpProxyArgs args = new RtpProxyArgs();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        RtpProxyOptions options;
        try {
            options = args.toOptions();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (args.logLevel != null) {
            applyLogLevel(args.logLevel);
        }
        RtpProxyServer server = new RtpProxyServer(options);
        server.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            stopped.countDown();
        }, "rtpproxy-shutdown"));
        stopped.await();
        return 0;
    }

    /** rtpproxy level names (optionally ":facility") to the relay's logback level. */
    static void applyLogLevel(String spec) {
        String name = spec.split(":")[0].toUpperCase(Locale.ROOT);
        ch.qos.logback.classic.Level level = switch (name) {
            case "DBUG", "DEBUG" -> ch.qos.logback.classic.Level.DEBUG;
            case "INFO" -> ch.qos.logback.classic.Level.INFO;
            case "WARN" -> ch.qos.logback.classic.Level.WARN;
            case "ERR", "ERROR", "CRIT" -> ch.qos.logback.classic.Level.ERROR;
            default -> throw new IllegalArgumentException("unknown log level " + spec + " (DBUG, INFO, WARN, ERR, CRIT)");
        };
        if (LoggerFactory.getLogger("dev.kemi.runtime.rtpproxy") instanceof ch.qos.logback.classic.Logger logger) {
            logger.setLevel(level);
        }
    }
}
