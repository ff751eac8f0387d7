package dev.kemi.runtime.cli;

import dev.kemi.runtime.rtpproxy.ControlSocket;
import dev.kemi.runtime.rtpproxy.RtpProxyOptions;
import dev.kemi.runtime.rtpproxy.RtpProxyServer;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kemi rtpproxy}: the media relay alone, with rtpproxy's command-line options. */
@Command(name = "rtpproxy", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Run the rtpproxy-compatible media relay (Kamailio's rtpproxy module can drive it).")
public final class RtpproxyCommand implements Callable<Integer> {

    @Option(names = "-l", paramLabel = "ADDR|INT/EXT",
            description = "Media address; two addresses (internal/external) enable bridge mode. Default: all addresses.")
    String listen;

    @Option(names = "-A", paramLabel = "ADV|ADV_INT/ADV_EXT", description = "Address(es) to advertise in replies.")
    String advertised;

    @Option(names = "-m", paramLabel = "PORT", description = "Lowest media port (default ${DEFAULT-VALUE}).")
    int portMin = RtpProxyOptions.DEFAULT_PORT_MIN;

    @Option(names = "-M", paramLabel = "PORT", description = "Highest media port (default ${DEFAULT-VALUE}).")
    int portMax = RtpProxyOptions.DEFAULT_PORT_MAX;

    @Option(names = "-s", paramLabel = "SOCKET",
            description = "Control socket: udp:host:port, udp:*:port, udp6:[addr]:port or unix:/path (repeatable; "
                    + "default udp:127.0.0.1:22222, loopback only; rtpproxy's own default is a unix socket).")
    List<String> control = List.of();

    @Option(names = "-T", paramLabel = "SECONDS", description = "Session TTL without traffic (default ${DEFAULT-VALUE}).")
    int ttl = RtpProxyOptions.DEFAULT_TTL;

    @Option(names = "--latch-packets", paramLabel = "N",
            description = "Packets in a row from a source off the signalled IP before a leg latches onto it "
                    + "(ours, not rtpproxy's; default ${DEFAULT-VALUE}; 1 = the first packet, as rtpproxy).")
    int latchPackets = RtpProxyOptions.DEFAULT_LATCH_PACKETS;

    @Option(names = "-d", paramLabel = "LEVEL", description = "Log level: DBUG, INFO, WARN, ERR or CRIT.")
    String logLevel;

    @Option(names = {"-f", "-F"}, description = "Accepted for rtpproxy compatibility (always foreground).")
    boolean ignoredFlags;

    @Option(names = "-u", paramLabel = "USER[:GROUP]",
            description = "Accepted for rtpproxy compatibility; the relay runs as the invoking user.")
    String ignoredUser;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        RtpProxyOptions options;
        try {
            options = toOptions();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (logLevel != null) {
            applyLogLevel(logLevel);
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

    /**
     * Relay options from an rtpproxy-style argument list (as given to {@code kemi rtpproxy}).
     *
     * @throws IllegalArgumentException or picocli's ParameterException for bad arguments
     */
    public static RtpProxyOptions parse(String... args) {
        RtpproxyCommand command = new RtpproxyCommand();
        new CommandLine(command).parseArgs(args);
        return command.toOptions();
    }

    RtpProxyOptions toOptions() {
        List<ControlSocket> sockets = control.isEmpty()
                ? List.of(ControlSocket.udp("127.0.0.1", ControlSocket.DEFAULT_PORT))
                : control.stream().map(ControlSocket::parse).toList();
        RtpProxyOptions options = new RtpProxyOptions(
                listen == null ? List.of() : RtpProxyOptions.parseAddresses(listen), List.of(), portMin, portMax,
                sockets, ttl, logLevel, latchPackets);
        return advertised == null ? options : options.withAdvertised(advertised);
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
