package dev.kemi.runtime.core;

import dev.kemi.runtime.transport.Alias;
import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.transport.TransportConfig;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** The transport settings a cfg's globals ask for (listen=, alias=, port, disable_tcp, tcp_*). */
public final class TransportSettings {
    private TransportSettings() {}

    /**
     * Kamailio's defaults: tcp_connection_lifetime 120 s, tcp_max_connections 2048, tcp_async yes,
     * tcp_conn_wq_max 32 KB, tcp_wq_max 10 MB, tcp_send_timeout 10 s (negative: the default), and
     * Kamailio 5.8's tcp_accept_iplimit 1024 (5.6 has no per-IP limit).
     */
    /** enable_tls/tls_enable and disable_tls/tls_disable are the same settings in Kamailio's cfg grammar. */
    public static boolean tlsEnabled(Globals g) {
        return (g.boolValue("enable_tls", false) || g.boolValue("tls_enable", false))
                && !(g.boolValue("disable_tls", false) || g.boolValue("tls_disable", false));
    }

    public static TransportConfig from(Globals g) {
        int cores = Runtime.getRuntime().availableProcessors();
        int port = g.intValue("port", 5060);
        boolean disableTcp = g.boolValue("disable_tcp", false);
        int tlsPort = tlsEnabled(g) ? g.intValue("tls_port_no", 5061) : 0;
        List<ListenSocket> sockets = new ArrayList<>();
        LinkedHashSet<Alias> aliases = new LinkedHashSet<>();
        List<Globals.Setting> listens = g.all("listen");
        for (Globals.Setting s : listens) {
            ListenSockets.Result r = ListenSockets.listen(s, port, disableTcp, tlsPort);
            sockets.addAll(r.sockets());
            aliases.addAll(r.aliases());
        }
        if (listens.isEmpty()) sockets.addAll(ListenSockets.allInterfaces(port, disableTcp, tlsPort));
        for (Globals.Setting s : g.all("alias")) aliases.addAll(ListenSockets.alias(s));
        if (g.boolValue("auto_aliases", true)) aliases.addAll(reverseDnsNames(sockets));
        int tcpThreads = Math.max(1, g.intValue("tcp_children", cores));
        int sendTimeout = g.intValue("tcp_send_timeout", TransportConfig.DEFAULT_SEND_TIMEOUT);
        return new TransportConfig(List.copyOf(sockets), List.copyOf(aliases), Math.max(1, cores), tcpThreads,
                g.intValue("tcp_connection_lifetime", 120), g.intValue("tcp_max_connections", 2048),
                g.boolValue("tcp_async", g.boolValue("tcp_buf_write", true)),
                Math.max(0, g.intValue("tcp_conn_wq_max", TransportConfig.DEFAULT_CONN_WQ_MAX)),
                Math.max(0, g.intValue("tcp_wq_max", TransportConfig.DEFAULT_WQ_MAX)),
                sendTimeout < 0 ? TransportConfig.DEFAULT_SEND_TIMEOUT : sendTimeout,
                Math.max(0, g.intValue("tcp_accept_iplimit", TransportConfig.DEFAULT_ACCEPT_IPLIMIT)),
                g.boolValue("tcp_accept_no_cl", false));
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
