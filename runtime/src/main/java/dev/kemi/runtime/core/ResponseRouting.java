package dev.kemi.runtime.core;

import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.Via;
import dev.kemi.runtime.transport.Destination;
import dev.kemi.runtime.transport.Protocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Where responses go (RFC 3261 §18.2.2, RFC 3581), for local replies (sl, tm, core) and relayed
 * ones.
 */
public final class ResponseRouting {
    private ResponseRouting() {}

    /**
     * Destination of a reply this proxy sends to a request: over TCP the request's connection;
     * over UDP the source IP, with the source port when the top Via has rport or force_rport()
     * was called, else the Via's sent-by port (5060 if none) — Kamailio's default
     * (reply_to_via=0), which also reaches UAs behind NAT that put a private address in sent-by.
     */
    public static Destination toSender(ReceiveInfo from, Via topVia, boolean forceRport, boolean noConnect, boolean close) {
        Protocol proto = from.socket().proto();
        if (proto.reliable()) return new Destination(proto, from.source(), from.socket(), noConnect, close);
        int port = forceRport || topVia.rport() >= 0 ? from.source().getPort()
                : topVia.port() > 0 ? topVia.port() : 5060;
        InetSocketAddress to = port == from.source().getPort() ? from.source()
                : new InetSocketAddress(from.source().getAddress(), port);
        return new Destination(proto, to, from.socket(), noConnect, close);
    }

    /** {@link #toSender(ReceiveInfo, Via, boolean, boolean, boolean)} with the message's flags (force_rport, set_reply_*). */
    public static Destination toSender(MessageContext ctx) throws SipParseException {
        return toSender(ctx.received(), ctx.msg().topVia(), ctx.forceRport, ctx.replyNoConnect, ctx.replyClose);
    }

    /**
     * Sets received= and rport= on the top Via of a reply this proxy builds, as Kamailio does:
     * rport=source port when the request's Via asked for it (RFC 3581 §4) or force_rport() was
     * called; received=source IP when the Via host is not that IP or received was already there.
     */
    public static void stampTopVia(SipMessage response, ReceiveInfo from, Via requestVia, boolean forceRport) {
        if (needsReceived(from, requestVia)) response.setTopViaParam("received", from.sourceIp());
        if (forceRport || requestVia.rport() >= 0) response.setTopViaParam("rport", Integer.toString(from.source().getPort()));
    }

    private static boolean needsReceived(ReceiveInfo from, Via v) {
        if (v.received() != null) return true;
        String h = v.host();
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        try {
            return !InetAddress.ofLiteral(h).equals(from.source().getAddress());
        } catch (IllegalArgumentException e) {
            return true; // a host name is never the source IP
        }
    }

    /**
     * Destination of a relayed reply, from the Via below ours: the received= address if present
     * else sent-by, and the rport= port if present else the sent-by port (default 5060, 5061 for
     * TLS). Null if the transport is unknown or the host does not resolve.
     */
    public static Destination upstream(Via via, boolean noConnect, boolean close) {
        Protocol proto;
        try {
            proto = Protocol.parse(via.transport());
        } catch (IllegalArgumentException e) {
            return null;
        }
        String host = via.received() != null && !via.received().isEmpty() ? via.received() : via.host();
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port = via.rport() > 0 ? via.rport() : via.port() > 0 ? via.port() : proto == Protocol.TLS ? 5061 : 5060;
        try {
            InetAddress a = InetAddress.getByName(host);
            return new Destination(proto, new InetSocketAddress(a, port), null, noConnect, close);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
