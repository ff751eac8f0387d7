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
final class ReplyRelay {
    private static final Logger log = LoggerFactory.getLogger(ReplyRelay.class);
    private final SourceWarnings warnings = new SourceWarnings(log);
    private final ProxyServices services;
    private final boolean checkVia;

    ReplyRelay(ProxyServices services, boolean checkVia) {
        this.services = services;
        this.checkVia = checkVia;
    }

    void relay(MessageContext ctx) {
        SipMessage msg = ctx.msg();
        List<Via> vias;
        try {
            vias = msg.vias();
        } catch (SipParseException e) {
            log.debug("reply with a bad Via dropped: {}", e.getMessage());
            return;
        }
        if (vias.isEmpty()) return;
        Via top = vias.get(0);
        if (checkVia && !services.isMyself(top.host(), top.port() > 0 ? top.port() : 5060, protocol(top))) {
            warnings.warn(ctx.received().sourceIp(), "reply dropped: host in first Via is not this proxy: " + top.text());
            return;
        }
        if (vias.size() < 2) {
            log.debug("reply cannot be relayed: no second Via");
            return;
        }
        Destination to = ResponseRouting.upstream(vias.get(1), ctx.forwardNoConnect() || ctx.replyNoConnect(),
                ctx.forwardClose() || ctx.replyClose());
        int connection = ConnectionId.in(top);
        if (to != null && connection > 0) to = to.overConnection(connection);
        if (to == null) {
            warnings.warn(ctx.received().sourceIp(), "reply dropped: cannot resolve the next Via " + vias.get(1).text());
            return;
        }
        msg.removeTopVia();
        if (!services.sender().send(to, msg.toBytes(), null)) {
            log.debug("reply to {} not sent (no socket or connection)", to.address());
        } else {
            services.statistics().counter("core", "fwd_replies").increment();
        }
    }

    private static Protocol protocol(Via v) {
        try {
            return Protocol.parse(v.transport());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
