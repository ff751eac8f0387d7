package dev.kemi.runtime.modules.core;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.transport.Protocol;
import dev.kemi.runtime.transport.ws.WsPipeline;
import java.net.InetAddress;

/**
 * The socket a request must leave from (Kamailio's force_send_socket): set by the core's
 * force_send_socket(), corex.set_send_socket and rr for double Record-Route dialogs; read by the
 * stateless forwarder and tm through {@link #select}.
 */
public final class SendSocket {
    private ListenSocket socket;

    private SendSocket() {}

    public static void set(MessageContext ctx, ListenSocket socket) {
        ctx.attachment(SendSocket.class, SendSocket::new).socket = socket;
    }

    /** The forced socket, or null. */
    public static ListenSocket get(MessageContext ctx) {
        SendSocket s = ctx.attachment(SendSocket.class);
        return s == null ? null : s.socket;
    }

    /**
     * Kamailio's get_send_socket: the forced socket (or its twin of the destination protocol on
     * the same address and port) when its address family fits; else, with mhomed=1 and UDP, the
     * socket on the address the kernel routes from; else for UDP the socket the request arrived
     * on when it is UDP of the same family; else the first socket of the protocol and family.
     */
    public static ListenSocket select(MessageContext ctx, Protocol proto, InetAddress peer) {
        return select(ctx, get(ctx), proto, peer);
    }

    /** As {@link #select(MessageContext, Protocol, InetAddress)} with the socket forced for one branch (null: none). */
    public static ListenSocket select(MessageContext ctx, ListenSocket forced, Protocol proto, InetAddress peer) {
        if (forced != null) {
            ListenSocket f = forced.proto() == proto ? forced
                    : proto == Protocol.WS && forced.proto() == Protocol.TLS ? WsPipeline.socketOf(forced) // no ;transport=wss
                    : find(ctx, proto, forced.address().getAddress(), forced.address().getPort());
            if (f != null && sameFamily(f, peer)) return f;
        }
        if (proto == Protocol.UDP) {
            ListenSocket routed = ctx.services().routedSocket(proto, peer);
            if (routed != null) return routed;
            ListenSocket in = ctx.received() == null ? null : ctx.received().socket();
            if (in != null && in.proto() == proto && sameFamily(in, peer)) return in;
        }
        ListenSocket s = ctx.services().socketFor(proto, peer);
        // ";transport=ws" names WSS connections too (RFC 7118): a proxy with TLS listeners only
        return s == null && proto == Protocol.WS ? ctx.services().socketFor(Protocol.WSS, peer) : s;
    }

    private static boolean sameFamily(ListenSocket s, InetAddress peer) {
        return s.address().getAddress().getClass() == peer.getClass();
    }

    /** Our socket with that protocol, address and port (0: any); null if none. */
    private static ListenSocket find(MessageContext ctx, Protocol proto, InetAddress addr, int port) {
        // WS and WSS live on the TCP and TLS listeners (Kamailio's find_si searches those lists for them)
        Protocol listener = proto == Protocol.WS ? Protocol.TCP : proto == Protocol.WSS ? Protocol.TLS : proto;
        for (ListenSocket ls : ctx.services().sockets()) {
            if (ls.proto() == listener && ls.address().getAddress().equals(addr) && (port == 0 || ls.address().getPort() == port)) {
                return listener == proto ? ls : WsPipeline.socketOf(ls);
            }
        }
        return null;
    }

    /**
     * The socket named by "[proto:]host[:port]" as force_send_socket() and set_send_socket take
     * it: the bound or advertised host, any port when none is given; null if we have none.
     */
    public static ListenSocket parse(MessageContext ctx, String spec) {
        return parse(ctx.services(), spec);
    }

    /** As {@link #parse(MessageContext, String)}, outside of a message (tm's own requests). */
    public static ListenSocket parse(dev.kemi.runtime.core.ProxyServices services, String spec) {
        String s = spec.trim();
        String proto = null;
        int c = s.indexOf(':');
        if (c > 0 && s.substring(0, c).chars().allMatch(Character::isLetter)) {
            proto = s.substring(0, c);
            s = s.substring(c + 1);
        }
        int pc = s.lastIndexOf(':');
        boolean v6 = s.startsWith("[");
        if (v6 && pc < s.lastIndexOf(']')) pc = -1;
        String host = pc > 0 ? s.substring(0, pc) : s;
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port = 0;
        if (pc > 0) {
            try {
                port = Integer.parseInt(s.substring(pc + 1).trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        for (ListenSocket ls : services.sockets()) {
            if (proto != null && !ls.proto().lower().equalsIgnoreCase(proto)) continue;
            if (port != 0 && ls.address().getPort() != port) continue;
            if (sameHost(ls.address().getAddress(), host) || host.equalsIgnoreCase(ls.advertiseHost())) return ls;
        }
        return null;
    }

    /** Kamailio's parse_phostport would take it: a known protocol if any, a host, a numeric port if any. */
    public static boolean wellFormed(String spec) {
        String s = spec.trim();
        int c = s.indexOf(':');
        if (c > 0 && s.substring(0, c).chars().allMatch(Character::isLetter)) {
            if (!java.util.Set.of("udp", "tcp", "tls", "sctp", "ws", "wss").contains(s.substring(0, c).toLowerCase(java.util.Locale.ROOT))) return false;
            s = s.substring(c + 1);
        }
        int pc = s.lastIndexOf(':');
        if (s.startsWith("[") && pc < s.lastIndexOf(']')) pc = -1;
        if (s.startsWith("[") && s.indexOf(']') < 0) return false;
        String host = pc > 0 ? s.substring(0, pc) : s;
        if (host.isEmpty() || host.equals("[]")) return false;
        return pc < 0 || s.substring(pc + 1).trim().matches("[0-9]{1,5}");
    }

    private static boolean sameHost(InetAddress a, String host) {
        try {
            return InetAddress.ofLiteral(host).equals(a);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
