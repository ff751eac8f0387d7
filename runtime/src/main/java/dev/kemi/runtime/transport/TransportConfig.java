package dev.kemi.runtime.transport;

import dev.kemi.runtime.core.Globals;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Transport settings from the cfg globals.
 *
 * @param sockets                 sockets to bind, in listen= order (port 0 = any free port)
 * @param aliases                 alias= entries, host names used in listen=, and (auto_aliases)
 *                                the reverse-DNS names of the listen addresses
 * @param ioThreads               event-loop threads for UDP; also the number of SO_REUSEPORT
 *                                channels per UDP socket, so receiving spreads over the cores
 * @param tcpIoThreads            event-loop threads for TCP (tcp_children, default: cores)
 * @param tcpConnectionLifetime   seconds a TCP connection may stay idle (tcp_connection_lifetime)
 * @param tcpMaxConnections       open TCP connections at most, both directions (tcp_max_connections)
 */
public record TransportConfig(List<ListenSocket> sockets, List<Alias> aliases, int ioThreads, int tcpIoThreads,
                              int tcpConnectionLifetime, int tcpMaxConnections) {

    /** Kamailio's defaults: tcp_connection_lifetime 120 s, tcp_max_connections 2048. */
    public static TransportConfig from(Globals g) {
        int cores = Runtime.getRuntime().availableProcessors();
        int port = g.intValue("port", 5060);
        boolean disableTcp = g.boolValue("disable_tcp", false);
        List<ListenSocket> sockets = new ArrayList<>();
        LinkedHashSet<Alias> aliases = new LinkedHashSet<>();
        List<Globals.Setting> listens = g.all("listen");
        for (Globals.Setting s : listens) {
            ListenSockets.Result r = ListenSockets.listen(s, port, disableTcp);
            sockets.addAll(r.sockets());
            aliases.addAll(r.aliases());
        }
        if (listens.isEmpty()) sockets.addAll(ListenSockets.allInterfaces(port, disableTcp));
        for (Globals.Setting s : g.all("alias")) aliases.addAll(ListenSockets.alias(s));
        if (g.boolValue("auto_aliases", true)) aliases.addAll(reverseDnsNames(sockets));
        int tcpThreads = Math.max(1, g.intValue("tcp_children", cores));
        return new TransportConfig(List.copyOf(sockets), List.copyOf(aliases), Math.max(1, cores), tcpThreads,
                g.intValue("tcp_connection_lifetime", 120), g.intValue("tcp_max_connections", 2048));
    }

    /** Kamailio adds the name each listen address resolves back to (127.0.0.1 -> localhost). */
    private static List<Alias> reverseDnsNames(List<ListenSocket> sockets) {
        List<Alias> out = new ArrayList<>();
        for (ListenSocket s : sockets) {
            InetAddress a = s.address().getAddress();
            if (a.isAnyLocalAddress()) continue;
            String name = a.getCanonicalHostName();
            if (!name.equals(a.getHostAddress())) out.add(new Alias(s.proto(), name, s.address().getPort()));
        }
        return out;
    }
}
