package dev.kemi.runtime.modules.sl;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.Via;
import dev.kemi.runtime.transport.Destination;
import dev.kemi.runtime.transport.Protocol;
import java.net.InetSocketAddress;

/**
 * Where a locally generated reply to the context's request goes, as Kamailio's sl does
 * (update_sock_struct_from_ip): the request's source IP; the source port if the top Via has
 * rport or force_rport() was called (RFC 3581), else the Via sent-by port (default 5060).
 * Reliable transports answer to the source address, i.e. over the connection it came on.
 * Sent from the socket the request arrived on.
 */
public final class ReplyDestination {
    private ReplyDestination() {}

    public static Destination of(MessageContext ctx) {
        InetSocketAddress src = ctx.received().source();
        Protocol proto = ctx.received().socket().proto();
        InetSocketAddress to = src;
        if (!proto.reliable() && !ctx.forceRport) {
            try {
                Via v = ctx.msg().topVia();
                if (v != null && v.rport() < 0) {
                    int port = v.port() > 0 ? v.port() : 5060;
                    to = new InetSocketAddress(src.getAddress(), port);
                }
            } catch (SipParseException ignored) {
                // unparsable Via: answer the source
            }
        }
        return new Destination(proto, to, ctx.received().socket(), ctx.replyNoConnect, ctx.replyClose);
    }
}
