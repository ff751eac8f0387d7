package dev.kemi.runtime.modules.core;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.sl.InternalErrors;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.SipUri;
import dev.kemi.runtime.transport.Destination;
import dev.kemi.runtime.transport.Protocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Where a request goes, for core forwarding and tm alike: $du if set, else the R-URI, or a
 * host/port the script forces (t_relay_to*). Transport from the URI's transport parameter
 * (sips: TLS, default UDP), port default 5060/5061; the host (maddr first) is resolved with
 * A/AAAA only (no NAPTR/SRV).
 *
 * @param proto   transport
 * @param address peer address
 */
public record NextHop(Protocol proto, InetSocketAddress address) {

    /** A destination given by the script instead of the URI (t_relay_to*, t_relay(host, port)). */
    public record Forced(Protocol proto, String host, int port) {
        /** "[proto:]host[:port]" as t_relay_to_proxy / native t_relay_to take it. */
        public static Forced parse(String s, Protocol dflt) {
            String v = s.trim();
            Protocol p = dflt;
            int c = v.indexOf(':');
            if (c > 0 && !v.startsWith("[")) {
                try {
                    p = Protocol.parse(v.substring(0, c));
                    v = v.substring(c + 1);
                } catch (IllegalArgumentException notProto) {
                    // plain host:port
                }
            }
            int port = 0;
            int close = v.lastIndexOf(']');
            int pc = v.lastIndexOf(':');
            boolean hasPort = v.startsWith("[") ? pc > close : pc > 0 && v.indexOf(':') == pc;
            if (hasPort) {
                port = Integer.parseInt(v.substring(pc + 1).trim());
                v = v.substring(0, pc);
            }
            return new Forced(p, v, port);
        }
    }

    /** A destination that can't be used, with Kamailio's internal error (E_BAD_URI, E_BAD_ADDRESS). */
    public static final class Unusable extends Exception {
        public final int code;

        Unusable(int code) {
            super(null, null, false, false);
            this.code = code;
        }
    }

    /** $du, else the current R-URI. */
    public static String uri(MessageContext ctx) {
        return ctx.dstUri() != null ? ctx.dstUri() : ctx.msg().requestUri();
    }

    /** Protocol a URI selects; an unknown transport counts as UDP. */
    public static Protocol protocol(SipUri u) {
        try {
            return protocolOf(u);
        } catch (IllegalArgumentException e) {
            return Protocol.UDP;
        }
    }

    private static Protocol protocolOf(SipUri u) {
        String t = u.transport();
        if (t != null) return Protocol.parse(t);
        return "sips".equals(u.scheme()) ? Protocol.TLS : Protocol.UDP;
    }

    /** Resolves {@code uri}, or {@code forced} instead; {@code forceProto} (may be null) overrides the protocol. */
    public static NextHop resolve(String uri, Forced forced, Protocol forceProto) throws Unusable {
        String host;
        int port;
        Protocol proto;
        boolean secure = false;
        if (forced != null) {
            host = forced.host();
            port = forced.port();
            proto = forced.proto() != null ? forced.proto() : Protocol.UDP;
        } else {
            SipUri u;
            try {
                u = SipUri.parse(uri);
            } catch (SipParseException | RuntimeException e) {
                throw new Unusable(InternalErrors.E_BAD_URI);
            }
            if (u.host() == null) throw new Unusable(InternalErrors.E_BAD_URI);
            secure = "sips".equals(u.scheme());
            String maddr = u.param("maddr");
            host = maddr != null && !maddr.isEmpty() ? maddr : u.host();
            port = u.port();
            try {
                proto = protocolOf(u);
            } catch (IllegalArgumentException e) {
                throw new Unusable(InternalErrors.E_BAD_ADDRESS);
            }
        }
        if (forceProto != null) proto = forceProto;
        if (port <= 0) port = proto == Protocol.TLS || proto == Protocol.WSS || secure ? 5061 : 5060;
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            return new NextHop(proto, new InetSocketAddress(InetAddress.getByName(h), port));
        } catch (UnknownHostException | SecurityException e) {
            throw new Unusable(InternalErrors.E_BAD_ADDRESS);
        }
    }

    /**
     * Resolves a SIP URI to a destination with the context's forwarding flags, sending from the
     * socket {@link SendSocket#select} picks; throws with the internal error when it can't be used.
     */
    public static Destination destination(MessageContext ctx, String uriText) throws Unusable {
        NextHop hop = resolve(uriText, null, null);
        return new Destination(hop.proto, hop.address, SendSocket.select(ctx, hop.proto, hop.address.getAddress()),
                ctx.forwardNoConnect(), ctx.forwardClose());
    }
}
