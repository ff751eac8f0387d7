package dev.kemi.runtime.rtpproxy;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * rtpproxy's command-line options, for {@code kemi rtpproxy} and for the rtpproxy module's
 * modparam "relay" (the built-in relay's arguments).
 */
public final class RtpProxyArgs {
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
    public String logLevel;

    @Option(names = {"-f", "-F"}, description = "Accepted for rtpproxy compatibility (always foreground).")
    boolean ignoredFlags;

    @Option(names = "-u", paramLabel = "USER[:GROUP]",
            description = "Accepted for rtpproxy compatibility; the relay runs as the invoking user.")
    String ignoredUser;

    /**
     * Relay options from an rtpproxy-style argument list (as given to {@code kemi rtpproxy}).
     *
     * @throws IllegalArgumentException or picocli's ParameterException for bad arguments
     */
    public static RtpProxyOptions parse(String... args) {
        RtpProxyArgs command = new RtpProxyArgs();
        new CommandLine(command).parseArgs(args);
        return command.toOptions();
    }

    public RtpProxyOptions toOptions() {
        List<ControlSocket> sockets = control.isEmpty()
                ? List.of(ControlSocket.udp("127.0.0.1", ControlSocket.DEFAULT_PORT))
                : control.stream().map(ControlSocket::parse).toList();
        RtpProxyOptions options = new RtpProxyOptions(
                listen == null ? List.of() : RtpProxyOptions.parseAddresses(listen), List.of(), portMin, portMax,
                sockets, ttl, logLevel, latchPackets);
        return advertised == null ? options : options.withAdvertised(advertised);
    }

}
