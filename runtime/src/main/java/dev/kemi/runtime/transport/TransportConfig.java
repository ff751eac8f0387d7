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
 * @param tcpAsync                writes are queued per connection (tcp_async, default yes); with
 *                                no, the sending worker waits for its write, up to tcp_send_timeout
 * @param tcpConnWqMax            bytes queued for write on one connection at most (tcp_conn_wq_max)
 * @param tcpWqMax                bytes queued for write on all connections at most (tcp_wq_max)
 * @param tcpSendTimeout          seconds a connection with queued data may make no write progress
 *                                before it is closed (tcp_send_timeout)
 * @param tcpAcceptIplimit        accepted connections from one source IP at most, 0 = no limit
 *                                (tcp_accept_iplimit, as Kamailio 5.8 has it)
 */
public record TransportConfig(List<ListenSocket> sockets, List<Alias> aliases, int ioThreads, int tcpIoThreads,
                              int tcpConnectionLifetime, int tcpMaxConnections, boolean tcpAsync, int tcpConnWqMax,
                              int tcpWqMax, int tcpSendTimeout, int tcpAcceptIplimit) {
    public static final int DEFAULT_CONN_WQ_MAX = 32 * 1024;
    public static final int DEFAULT_WQ_MAX = 10 * 1024 * 1024;
    public static final int DEFAULT_SEND_TIMEOUT = 10;
    public static final int DEFAULT_ACCEPT_IPLIMIT = 1024;

    /** With Kamailio's defaults for the write queues, send timeout and per-IP limit. */
    public TransportConfig(List<ListenSocket> sockets, List<Alias> aliases, int ioThreads, int tcpIoThreads,
                           int tcpConnectionLifetime, int tcpMaxConnections) {
        this(sockets, aliases, ioThreads, tcpIoThreads, tcpConnectionLifetime, tcpMaxConnections, true,
                DEFAULT_CONN_WQ_MAX, DEFAULT_WQ_MAX, DEFAULT_SEND_TIMEOUT, DEFAULT_ACCEPT_IPLIMIT);
    }

    /**
     * Kamailio's defaults: tcp_connection_lifetime 120 s, tcp_max_connections 2048, tcp_async yes,
     * tcp_conn_wq_max 32 KB, tcp_wq_max 10 MB, tcp_send_timeout 10 s (negative: the default), and
     * Kamailio 5.8's tcp_accept_iplimit 1024 (5.6 has no per-IP limit).
     */
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
        int sendTimeout = g.intValue("tcp_send_timeout", DEFAULT_SEND_TIMEOUT);
        return new TransportConfig(List.copyOf(sockets), List.copyOf(aliases), Math.max(1, cores), tcpThreads,
                g.intValue("tcp_connection_lifetime", 120), g.intValue("tcp_max_connections", 2048),
                g.boolValue("tcp_async", g.boolValue("tcp_buf_write", true)),
                Math.max(0, g.intValue("tcp_conn_wq_max", DEFAULT_CONN_WQ_MAX)),
                Math.max(0, g.intValue("tcp_wq_max", DEFAULT_WQ_MAX)), sendTimeout < 0 ? DEFAULT_SEND_TIMEOUT : sendTimeout,
                Math.max(0, g.intValue("tcp_accept_iplimit", DEFAULT_ACCEPT_IPLIMIT)));
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
