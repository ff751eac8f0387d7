package dev.kemi.runtime.modules.outbound;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.sip.NameAddr;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.SipUri;
import java.util.List;

/** Kamailio 5.6.3's use_outbound(): which requests RFC 5626 applies to, and how. */
final class UseOutbound {
    private UseOutbound() {}

    static int of(MessageContext ctx, OutboundModule ob) {
        SipMessage msg = ctx.msg();
        if (!msg.isRequest()) return 0;
        if (ob.forceFlag >= 0 && ctx.isFlagSet(ob.forceFlag)) return 1;
        if (ob.forceNoFlag >= 0 && ctx.isFlagSet(ob.forceNoFlag)) return 0;
        return "REGISTER".equals(msg.method()) ? register(msg) : nonRegister(ctx, ob);
    }

    /** A REGISTER straight from the UA (one Via) whose first Contact has ;reg-id. */
    private static int register(SipMessage msg) {
        if (secondVia(msg)) return 0;
        NameAddr c = firstContact(msg);
        return c != null && c.params().containsKey("reg-id") ? 1 : 0;
    }

    private static int nonRegister(MessageContext ctx, OutboundModule ob) {
        SipMessage msg = ctx.msg();
        SipUri route = topRoute(msg);
        // our own top Route (not a GRUU) with ;ob: outbound, incoming when it names another flow
        if (route != null && ctx.isMyself(route.text(), true) && route.param("gr") == null && route.params().containsKey("ob")) {
            try {
                Flow f = ob.decodeFlowToken(ctx, route.user());
                if (f != null && !f.remote().equals(ctx.received().source())) return 2;
            } catch (FlowToken.Broken e) {
                // as Kamailio: an undecodable token still marks the request "outgoing"
            }
            return 1;
        }
        // with a Supported header, it must name outbound (none at all does not rule it out)
        List<String> supported = msg.headerValues("Supported");
        if (!msg.headers("Supported").isEmpty() && supported.stream().noneMatch(s -> s.strip().equalsIgnoreCase("outbound"))) return 0;
        if (secondVia(msg)) return 0;
        NameAddr c = firstContact(msg);
        if (c == null) return 0;
        try {
            return c.parsedUri().params().containsKey("ob") ? 1 : 0;
        } catch (SipParseException e) {
            return 0;
        }
    }

    private static boolean secondVia(SipMessage msg) {
        try {
            return msg.vias().size() > 1;
        } catch (SipParseException e) {
            return false; // Kamailio: a second Via that does not parse counts as none
        }
    }

    private static NameAddr firstContact(SipMessage msg) {
        try {
            List<NameAddr> cs = msg.contacts();
            return cs.isEmpty() ? null : cs.get(0);
        } catch (SipParseException e) {
            return null;
        }
    }

    private static SipUri topRoute(SipMessage msg) {
        try {
            List<NameAddr> rs = msg.routes();
            return rs.isEmpty() ? null : rs.get(0).parsedUri();
        } catch (SipParseException e) {
            return null;
        }
    }
}
