package dev.kemi.runtime.core;

import dev.kemi.runtime.transport.SourceWarnings;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.Via;
import dev.kemi.runtime.transport.Destination;
import dev.kemi.runtime.transport.Protocol;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stateless relaying of a reply no module took (Kamailio's forward_reply): remove the top Via
 * and send to the next one. With check_via=yes the top Via must be ours (default no, as in
 * Kamailio).
 */
public final class ReplyRelay {
    private static final Logger log = LoggerFactory.getLogger(ReplyRelay.class);
    private final SourceWarnings warnings = new SourceWarnings(log);
    private final ProxyServices services;
    private final boolean checkVia;

    ReplyRelay(ProxyServices services, boolean checkVia) {
        this.services = services;
        this.checkVia = checkVia;
    }

    void relay(MessageContext ctx) {
        forward(ctx, ctx.msg(), services, checkVia, warnings);
    }

    /**
     * sl_forward_reply(): {@code reply} (a copy of the received one, maybe with another status
     * line) sent where its second Via says, as Kamailio's forward_reply_nocb. False if not sent.
     */
    public static boolean forwardCopy(MessageContext ctx, SipMessage reply) {
        String cv = ctx.services().globalParam("check_via");
        boolean checkVia = cv != null && (cv.equals("1") || cv.equalsIgnoreCase("yes") || cv.equalsIgnoreCase("on"));
        return forward(ctx, reply, ctx.services(), checkVia, new SourceWarnings(log));
    }

    private static boolean forward(MessageContext ctx, SipMessage msg, ProxyServices services, boolean checkVia,
                                   SourceWarnings warnings) {
        List<Via> vias;
        try {
            vias = msg.vias();
        } catch (SipParseException e) {
            log.debug("reply with a bad Via dropped: {}", e.getMessage());
            return false;
        }
        if (vias.isEmpty()) return false;
        Via top = vias.get(0);
        if (checkVia && !services.isMyself(top.host(), top.port() > 0 ? top.port() : 5060, protocol(top))) {
            warnings.warn(ctx.received().sourceIp(), "reply dropped: host in first Via is not this proxy: " + top.text());
            return false;
        }
        if (vias.size() < 2) {
            log.debug("reply cannot be relayed: no second Via");
            return false;
        }
        Destination to = ResponseRouting.upstream(vias.get(1), ctx.forwardNoConnect() || ctx.replyNoConnect(),
                ctx.forwardClose() || ctx.replyClose());
        int connection = ConnectionId.in(top);
        if (to != null && connection > 0) to = to.overConnection(connection);
        if (to == null) {
            warnings.warn(ctx.received().sourceIp(), "reply dropped: cannot resolve the next Via " + vias.get(1).text());
            return false;
        }
        msg.removeTopVia();
        if (!services.sender().send(to, msg.toBytes(), null)) {
            log.debug("reply to {} not sent (no socket or connection)", to.address());
            return false;
        }
        services.statistics().counter("core", "fwd_replies").increment();
        return true;
    }

    private static Protocol protocol(Via v) {
        try {
            return Protocol.parse(v.transport());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
