package dev.kemi.runtime.modules.core;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.SipUri;
import dev.kemi.runtime.transport.Destination;
import dev.kemi.runtime.transport.Protocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Where a request goes: $du if set, else the current R-URI. Transport from the URI's
 * transport parameter (sips: TLS, default UDP), port default 5060/5061; the host is resolved
 * with A/AAAA only (no NAPTR/SRV). Shared with tm.
 */
public final class NextHop {
    private NextHop() {}

    /** $du, else the current R-URI. */
    public static String uri(MessageContext ctx) {
        return ctx.dstUri != null ? ctx.dstUri : ctx.msg().requestUri();
    }

    /** Protocol a URI selects. */
    public static Protocol protocol(SipUri u) {
        String t = u.transport();
        if (t != null) {
            try {
                return Protocol.parse(t);
            } catch (IllegalArgumentException e) {
                return Protocol.UDP;
            }
        }
        return "sips".equals(u.scheme()) ? Protocol.TLS : Protocol.UDP;
    }

    /**
     * Resolves a SIP URI to a destination, sending from the socket {@link SendSocket#select}
     * picks; null if it cannot be resolved.
     */
    public static Destination resolve(MessageContext ctx, String uriText) {
        SipUri u;
        try {
            u = SipUri.parse(uriText);
        } catch (SipParseException | RuntimeException e) {
            return null;
        }
        if (u.host() == null) return null;
        Protocol proto = protocol(u);
        String maddr = u.param("maddr");
        String host = maddr != null && !maddr.isEmpty() ? maddr : u.host();
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port = u.port() > 0 ? u.port() : (proto == Protocol.TLS ? 5061 : 5060);
        InetAddress addr;
        try {
            addr = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            return null;
        }
        return new Destination(proto, new InetSocketAddress(addr, port), SendSocket.select(ctx, proto, addr),
                ctx.forwardNoConnect, ctx.forwardClose);
    }
}
