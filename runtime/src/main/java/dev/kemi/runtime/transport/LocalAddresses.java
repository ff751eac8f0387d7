package dev.kemi.runtime.transport;

import java.net.InetAddress;
import java.util.List;

/**
 * Kamailio's check_self: is host:port/proto one of our sockets (bound or advertised address and
 * port) or an alias? Port 0 and a null protocol match anything; an alias without port matches
 * any port (core cookbook, "alias"); WS and WSS match the sockets they are upgraded on.
 */
public final class LocalAddresses {
    private final List<ListenSocket> sockets;
    private final List<Alias> aliases;

    public LocalAddresses(List<ListenSocket> sockets, List<Alias> aliases) {
        this.sockets = List.copyOf(sockets);
        this.aliases = List.copyOf(aliases);
    }

    public boolean isMyself(String host, int port, Protocol proto) {
        if (host == null || host.isEmpty()) return false;
        String h = host.length() > 2 && host.charAt(0) == '[' && host.charAt(host.length() - 1) == ']'
                ? host.substring(1, host.length() - 1) : host;
        InetAddress ip = literal(h);
        for (ListenSocket s : sockets) {
            if (proto != null && s.proto() != proto && !upgradedFrom(proto, s.proto())) continue;
            if (port != 0 && s.address().getPort() != port && s.advertisePort() != port) continue;
            if (ip != null ? ip.equals(s.address().getAddress()) : h.equalsIgnoreCase(s.address().getHostString())) return true;
            if (s.advertiseHost() != null && sameHost(h, ip, s.advertiseHost())) return true;
        }
        for (Alias a : aliases) {
            if ((a.port() == 0 || port == 0 || a.port() == port) && (a.proto() == null || proto == null || a.proto() == proto)
                    && sameHost(h, ip, a.host())) {
                return true;
            }
        }
        return false;
    }

    /**
     * WS and WSS have no sockets of their own: grep_sock_info looks for WS among the TCP sockets,
     * then the TLS ones, and for WSS among the TLS ones (a ";transport=ws" Record-Route of a WSS listener).
     */
    private static boolean upgradedFrom(Protocol proto, Protocol socket) {
        return proto == Protocol.WS && (socket == Protocol.TCP || socket == Protocol.TLS) || proto == Protocol.WSS && socket == Protocol.TLS;
    }

    private static boolean sameHost(String h, InetAddress ip, String other) {
        String o = other.length() > 2 && other.charAt(0) == '[' ? other.substring(1, other.length() - 1) : other;
        if (ip != null) {
            InetAddress oip = literal(o);
            if (oip != null) return ip.equals(oip);
        }
        return h.equalsIgnoreCase(o);
    }

    /** The address if the text is an IP literal (no DNS lookup), else null. */
    static InetAddress literal(String h) {
        if (!isIpLiteral(h)) return null;
        try {
            return InetAddress.ofLiteral(h);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** True for an IPv4 or IPv6 literal (no brackets), without any lookup. */
    public static boolean isIpLiteral(String host) {
        if (host.indexOf(':') >= 0) return true;
        for (int i = 0; i < host.length(); i++) {
            char ch = host.charAt(i);
            if ((ch < '0' || ch > '9') && ch != '.') return false;
        }
        return !host.isEmpty();
    }
}
