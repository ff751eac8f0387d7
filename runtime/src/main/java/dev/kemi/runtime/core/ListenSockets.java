package dev.kemi.runtime.core;

import dev.kemi.engine.cfg.ListenSpec;
import dev.kemi.runtime.transport.Alias;
import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.transport.LocalAddresses;
import dev.kemi.runtime.transport.Protocol;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Turns listen= and alias= values (parsed by the cfg's {@link ListenSpec}) into sockets to bind
 * and names to answer to: a missing protocol means UDP and TCP, addr is an IP, an interface
 * name (all its addresses) or a host name (resolved, and also an alias, as Kamailio matches
 * the socket's name).
 */
final class ListenSockets {
    /** Sockets and the names they add to check_self. */
    record Result(List<ListenSocket> sockets, List<Alias> aliases) {}

    private ListenSockets() {}

    /**
     * @param tlsPort tls_port_no when enable_tls=yes, else 0: a listen= without protocol then
     *                also gets TLS, on tls_port_no without a port and on port+1 with one (as Kamailio)
     */
    static Result listen(Globals.Setting s, int defaultPort, boolean disableTcp, int tlsPort) {
        List<ListenSocket> sockets = new ArrayList<>();
        List<Alias> aliases = new ArrayList<>();
        for (ListenSpec sp0 : specs(s)) {
            ListenSpec sp = sp0.withDefaultPort(defaultPort, tlsPort > 0 ? tlsPort : 5061);
            String adv = sp.advertiseHost() == null ? null
                    : sp.advertiseHost().indexOf(':') >= 0 ? "[" + sp.advertiseHost() + "]" : sp.advertiseHost();
            List<InetAddress> ifAddrs = LocalAddresses.isIpLiteral(sp.addr()) ? null : interfaceAddresses(sp.addr());
            List<InetAddress> addrs = ifAddrs != null ? ifAddrs : List.of(resolve(s, sp.addr()));
            for (Protocol p : protocols(s, sp.proto(), disableTcp, tlsPort > 0)) {
                int port = p == Protocol.TLS && sp.proto() == null ? (sp0.port() == 0 ? tlsPort : sp0.port() + 1) : sp.port();
                for (InetAddress a : addrs) {
                    sockets.add(new ListenSocket(p, new InetSocketAddress(a, port), adv, sp.advertisePort(), sp.name()));
                }
                if (ifAddrs == null && !LocalAddresses.isIpLiteral(sp.addr())) aliases.add(new Alias(p, sp.addr(), port));
            }
        }
        return new Result(sockets, aliases);
    }

    static List<Alias> alias(Globals.Setting s) {
        List<Alias> out = new ArrayList<>();
        for (ListenSpec sp : specs(s)) {
            out.add(new Alias(sp.proto() == null ? null : Protocol.parse(sp.proto()), sp.addr(), sp.port()));
        }
        return out;
    }

    /** UDP, TCP (and TLS on tlsPort, if not 0) on every address of every interface that is up: Kamailio's "no listen". */
    static List<ListenSocket> allInterfaces(int port, boolean disableTcp, int tlsPort) {
        List<ListenSocket> out = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp()) continue;
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if (a instanceof Inet6Address && a.isLinkLocalAddress()) continue;
                    out.add(new ListenSocket(Protocol.UDP, new InetSocketAddress(a, port), null, 0, null));
                    if (!disableTcp) out.add(new ListenSocket(Protocol.TCP, new InetSocketAddress(a, port), null, 0, null));
                    if (!disableTcp && tlsPort > 0) out.add(new ListenSocket(Protocol.TLS, new InetSocketAddress(a, tlsPort), null, 0, null));
                }
            }
        } catch (SocketException e) {
            throw new IllegalStateException("cannot list network interfaces: " + e.getMessage(), e);
        }
        return out;
    }

    private static List<ListenSpec> specs(Globals.Setting s) {
        try {
            return ListenSpec.parseAll(s.value());
        } catch (IllegalArgumentException e) {
            throw s.error(e.getMessage());
        }
    }

    private static List<Protocol> protocols(Globals.Setting s, String proto, boolean disableTcp, boolean tls) {
        if (proto == null) {
            if (disableTcp) return List.of(Protocol.UDP);
            return tls ? List.of(Protocol.UDP, Protocol.TCP, Protocol.TLS) : List.of(Protocol.UDP, Protocol.TCP);
        }
        return switch (proto) {
            case "udp" -> List.of(Protocol.UDP);
            case "tcp" -> disableTcp ? List.of() : List.of(Protocol.TCP);
            case "tls" -> {
                if (!tls) throw s.error("listen: tls needs enable_tls=yes (and loadmodule \"tls.so\")");
                yield disableTcp ? List.of() : List.of(Protocol.TLS);
            }
            default -> throw s.error("listen: protocol " + proto + " is not supported (udp, tcp and tls are)");
        };
    }

    private static InetAddress resolve(Globals.Setting s, String host) {
        try {
            return LocalAddresses.isIpLiteral(host) ? InetAddress.ofLiteral(host) : InetAddress.getByName(host);
        } catch (IllegalArgumentException | UnknownHostException e) {
            throw s.error("cannot resolve listen address '" + host + "'");
        }
    }

    /** Addresses of the interface of that name (eth0), or null if there is none. */
    private static List<InetAddress> interfaceAddresses(String name) {
        try {
            NetworkInterface nif = NetworkInterface.getByName(name);
            if (nif == null) return null;
            List<InetAddress> out = new ArrayList<>();
            for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                if (!(a instanceof Inet6Address && a.isLinkLocalAddress())) out.add(a);
            }
            return out;
        } catch (SocketException e) {
            return null;
        }
    }
}
