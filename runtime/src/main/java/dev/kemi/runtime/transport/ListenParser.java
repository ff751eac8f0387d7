package dev.kemi.runtime.transport;

import dev.kemi.runtime.core.Globals;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Parses listen= and alias= values: {@code [proto:]addr[:port]}, several per line, with
 * {@code advertise host[:port]}, {@code name "x"} and {@code virtual} on listen lines
 * (Kamailio core cookbook, "listen"). addr is an IP ({@code [v6]}), an interface name or a
 * host name; a host name also becomes an alias, as Kamailio matches the socket's name.
 */
final class ListenParser {
    /** Sockets and the names they add to check_self. */
    record Result(List<ListenSocket> sockets, List<Alias> aliases) {}

    /** proto:host:port split out of one token. */
    record Spec(Protocol proto, boolean anyProto, String host, int port) {}

    private ListenParser() {}

    static Result listen(Globals.Setting s, int defaultPort, boolean disableTcp) {
        List<String> tokens = tokens(s);
        List<Spec> specs = new ArrayList<>();
        String advHost = null;
        int advPort = 0;
        String name = null;
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            switch (t.toLowerCase(Locale.ROOT)) {
                case "advertise" -> {
                    if (++i >= tokens.size()) throw s.error("listen: 'advertise' needs host[:port]");
                    Spec a = spec(s, tokens.get(i));
                    advHost = a.host().indexOf(':') >= 0 ? "[" + a.host() + "]" : a.host();
                    advPort = a.port();
                }
                case "name" -> {
                    if (++i >= tokens.size()) throw s.error("listen: 'name' needs a value");
                    name = tokens.get(i);
                }
                case "virtual" -> { }
                default -> specs.add(spec(s, t));
            }
        }
        if (specs.isEmpty()) throw s.error("listen: no address");
        List<ListenSocket> sockets = new ArrayList<>();
        List<Alias> aliases = new ArrayList<>();
        for (Spec sp : specs) {
            List<Protocol> protos = protocols(s, sp, disableTcp);
            int port = sp.port() > 0 ? sp.port() : defaultPort;
            List<InetAddress> addrs = resolve(s, sp.host());
            boolean hostName = !isIpLiteral(sp.host()) && interfaceAddresses(sp.host()) == null;
            for (Protocol p : protos) {
                for (InetAddress a : addrs) {
                    sockets.add(new ListenSocket(p, new InetSocketAddress(a, port), advHost, advPort, name));
                }
                if (hostName) aliases.add(new Alias(p, sp.host(), port));
            }
        }
        return new Result(sockets, aliases);
    }

    static List<Alias> alias(Globals.Setting s) {
        List<Alias> out = new ArrayList<>();
        for (String t : tokens(s)) {
            Spec sp = spec(s, t);
            out.add(new Alias(sp.anyProto() ? null : sp.proto(), sp.host(), sp.port()));
        }
        return out;
    }

    /** UDP and TCP sockets on every address of every interface that is up: Kamailio's "no listen". */
    static List<ListenSocket> allInterfaces(int port, boolean disableTcp) {
        List<ListenSocket> out = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp()) continue;
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if (a instanceof Inet6Address && a.isLinkLocalAddress()) continue;
                    out.add(new ListenSocket(Protocol.UDP, new InetSocketAddress(a, port), null, 0, null));
                    if (!disableTcp) out.add(new ListenSocket(Protocol.TCP, new InetSocketAddress(a, port), null, 0, null));
                }
            }
        } catch (SocketException e) {
            throw new IllegalStateException("cannot list network interfaces: " + e.getMessage(), e);
        }
        return out;
    }

    static Spec spec(Globals.Setting s, String token) {
        String t = token;
        Protocol proto = null;
        boolean any = true;
        int c = t.indexOf(':');
        if (c > 0 && t.charAt(0) != '[') {
            String p = t.substring(0, c).toLowerCase(Locale.ROOT);
            if (p.equals("*")) {
                t = t.substring(c + 1);
            } else if (p.matches("udp|tcp|tls|sctp|ws|wss")) {
                proto = Protocol.parse(p);
                any = false;
                t = t.substring(c + 1);
            }
        }
        String host;
        String portText = null;
        if (t.startsWith("[")) {
            int end = t.indexOf(']');
            if (end < 0) throw s.error("bad address '" + token + "': missing ']'");
            host = t.substring(1, end);
            if (end + 1 < t.length()) {
                if (t.charAt(end + 1) != ':') throw s.error("bad address '" + token + "'");
                portText = t.substring(end + 2);
            }
        } else {
            int first = t.indexOf(':');
            if (first >= 0 && first == t.lastIndexOf(':')) {
                host = t.substring(0, first);
                portText = t.substring(first + 1);
            } else {
                host = t; // no port, or a bare IPv6 address
            }
        }
        if (host.isEmpty()) throw s.error("bad address '" + token + "': no host");
        int port = 0;
        if (portText != null && !portText.equals("*")) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 0 || port > 65535) throw s.error("bad port in '" + token + "'");
        }
        return new Spec(proto, any, host, port);
    }

    static boolean isIpLiteral(String host) {
        if (host.indexOf(':') >= 0) return true;
        for (int i = 0; i < host.length(); i++) {
            char ch = host.charAt(i);
            if ((ch < '0' || ch > '9') && ch != '.') return false;
        }
        return !host.isEmpty();
    }

    private static List<Protocol> protocols(Globals.Setting s, Spec sp, boolean disableTcp) {
        if (sp.anyProto()) return disableTcp ? List.of(Protocol.UDP) : List.of(Protocol.UDP, Protocol.TCP);
        return switch (sp.proto()) {
            case UDP -> List.of(Protocol.UDP);
            case TCP -> disableTcp ? List.of() : List.of(Protocol.TCP);
            default -> throw s.error("listen: protocol " + sp.proto().lower() + " is not supported (udp and tcp are)");
        };
    }

    private static List<InetAddress> resolve(Globals.Setting s, String host) {
        try {
            if (isIpLiteral(host)) return List.of(InetAddress.ofLiteral(host));
            List<InetAddress> nif = interfaceAddresses(host);
            if (nif != null) return nif;
            return List.of(InetAddress.getByName(host));
        } catch (IllegalArgumentException | UnknownHostException e) {
            throw s.error("cannot resolve listen address '" + host + "'");
        }
    }

    /** Splits on blanks outside quotes and drops the quotes. */
    static List<String> tokens(Globals.Setting s) {
        List<String> out = new ArrayList<>();
        String v = s.value();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        boolean had = false;
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            if (quote != 0) {
                if (ch == quote) quote = 0;
                else cur.append(ch);
            } else if (ch == '"' || ch == '\'') {
                quote = ch;
                had = true;
            } else if (Character.isWhitespace(ch) || ch == ';') {
                if (had || !cur.isEmpty()) out.add(cur.toString());
                cur.setLength(0);
                had = false;
            } else {
                cur.append(ch);
            }
        }
        if (quote != 0) throw s.error("unterminated quote in '" + v + "'");
        if (had || !cur.isEmpty()) out.add(cur.toString());
        return out;
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
