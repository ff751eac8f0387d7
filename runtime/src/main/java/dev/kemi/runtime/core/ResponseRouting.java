package dev.kemi.runtime.core;

import dev.kemi.runtime.transport.ReceiveInfo;
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
        return toSender(ctx.received(), ctx.msg().topVia(), ctx.forceRport(), ctx.replyNoConnect(), ctx.replyClose());
    }

    /**
     * Sets received= and rport= on the top Via of a reply this proxy builds, placed as Kamailio
     * does on local replies: rport=source port (in place, else appended) when the request's Via
     * asked for it (RFC 3581 §4) or force_rport() was called; then received=source IP appended
     * when rport was set, received was already there, or the sent-by host is not the source IP.
     */
    public static void stampTopVia(SipMessage response, ReceiveInfo from, Via requestVia, boolean forceRport) {
        boolean rport = forceRport || requestVia.rport() >= 0;
        if (rport) response.setTopViaParam("rport", Integer.toString(from.source().getPort()));
        if (rport || requestVia.received() != null || !sentByIs(requestVia, from.source().getAddress())) {
            response.setTopViaParam("received", from.sourceIp());
        }
    }

    /** Whether the Via's sent-by host is that IP literal (a host name never is). */
    public static boolean sentByIs(Via v, InetAddress ip) {
        String h = v.host();
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        try {
            return InetAddress.ofLiteral(h).equals(ip);
        } catch (IllegalArgumentException e) {
            return false;
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
