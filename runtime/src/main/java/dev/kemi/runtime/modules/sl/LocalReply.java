package dev.kemi.runtime.modules.sl;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ResponseRouting;
import dev.kemi.runtime.core.StatelessReply;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.transport.Destination;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds and sends a stateless reply to the context's request (Kamailio's sl_send_reply):
 * To-tag for codes >= 180 when absent (the same for retransmissions), Contact from the
 * destination set on 3xx, the script's reply headers/body, the Server header, received/rport
 * on the top Via. Used by sl, siputils, sanity; tm may build its replies with {@link #build}.
 */
public final class LocalReply {

    private LocalReply() {}

    /** 1 sent; -1 for ACK, replies or when sending failed. */
    public static int send(MessageContext ctx, int code, String reason) {
        SipMessage req = ctx.msg();
        if (!req.isRequest() || "ACK".equals(req.method())) return -1;
        if (code < 100 || code > 699) return -1;
        Destination to;
        try {
            to = ResponseRouting.toSender(ctx);
        } catch (SipParseException e) {
            return -1;
        }
        SipMessage reply = build(ctx, code, reason, code >= 180 ? StatelessReply.toTag(req) : null);
        if (!ctx.services().sender().send(to, reply.toBytes(), null)) {
            SlStats.failed(ctx.services().statistics());
            return -1;
        }
        SlStats.sent(ctx.services().statistics(), code);
        ctx.markReplied();
        return 1;
    }

    /** The reply message, ready to send (tm may call this with its own To-tag). */
    public static SipMessage build(MessageContext ctx, int code, String reason, String toTag) {
        List<String> extra = new ArrayList<>(4);
        if (code >= 300 && code < 400) {
            String contact = contactOfDestinationSet(ctx);
            if (contact != null) extra.add(contact);
        }
        ReplyExtras x = ReplyExtras.peek(ctx);
        byte[] body = null;
        if (x != null) {
            extra.addAll(x.headers);
            if (x.body != null) {
                body = x.body;
                if (x.contentType != null) extra.add("Content-Type: " + x.contentType);
            }
        }
        String server = StatelessReply.serverHeader(ctx.services());
        if (server != null) extra.add(server);
        SipMessage reply = SipMessage.response(ctx.msg(), code, reason, toTag, extra, body);
        stampReplyVia(ctx, reply);
        return reply;
    }

    private static String contactOfDestinationSet(MessageContext ctx) {
        List<String> uris = new ArrayList<>();
        SipMessage m = ctx.msg();
        if (!m.requestUri().equals(m.originalRequestUri())) uris.add(m.requestUri());
        uris.addAll(ctx.branches());
        if (uris.isEmpty()) return null;
        StringBuilder b = new StringBuilder("Contact: ");
        for (int i = 0; i < uris.size(); i++) {
            if (i > 0) b.append(", ");
            b.append('<').append(uris.get(i)).append('>');
        }
        return b.toString();
    }

    /** received/rport on a local reply's top Via, placed as Kamailio does there. */
    static void stampReplyVia(MessageContext ctx, SipMessage reply) {
        try {
            ResponseRouting.stampTopVia(reply, ctx.received(), ctx.msg().topVia(), ctx.forceRport());
        } catch (SipParseException e) {
            // no readable Via: nothing to stamp
        }
    }
}
