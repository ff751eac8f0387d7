package dev.kemi.runtime.modules.sl;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ResponseRouting;
import dev.kemi.runtime.core.StatelessReply;
import dev.kemi.runtime.sip.NameAddr;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.Via;
import dev.kemi.runtime.transport.Destination;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds and sends a stateless reply to the context's request (Kamailio's sl_send_reply):
 * To-tag for codes >= 180 when absent (the same for retransmissions), Contact from the
 * destination set on 3xx, the script's reply headers/body, the Server header, received/rport
 * on the top Via. Used by sl, siputils, sanity; tm may build its replies with {@link #build}.
 */
public final class LocalReply {

    /** Constant part of our To-tags, like sl's "SER-stateless" MD5 prefix. */
    private static final String TAG_PREFIX = "5ad2a1d2b2e0f6e7a9c8f6e1b3d4c5a7";

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
        SipMessage reply = build(ctx, code, reason, code >= 180 ? toTag(req) : null);
        if (!ctx.services().sender().send(to, reply.toBytes(), null)) return -1;
        ctx.replied = true;
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

    /** Stable To-tag as sl makes them: fixed hex prefix, '.', hash of Call-ID, From-tag and Via branch. */
    public static String toTag(SipMessage req) {
        long h = 0xcbf29ce484222325L;
        String branch = "";
        try {
            Via v = req.topVia();
            if (v != null && v.branch() != null) branch = v.branch();
        } catch (SipParseException ignored) {
            // hash the rest
        }
        String fromTag = "";
        try {
            NameAddr f = req.from();
            if (f != null && f.tag() != null) fromTag = f.tag();
        } catch (SipParseException ignored) {
            // hash the rest
        }
        for (String s : new String[] {String.valueOf(req.callId()), fromTag, branch}) {
            for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
                h ^= (b & 0xff);
                h *= 0x100000001b3L;
            }
        }
        return TAG_PREFIX + "." + String.format("%08x", (int) (h ^ (h >>> 32)));
    }

    private static String contactOfDestinationSet(MessageContext ctx) {
        List<String> uris = new ArrayList<>();
        SipMessage m = ctx.msg();
        if (!m.requestUri().equals(m.originalRequestUri())) uris.add(m.requestUri());
        uris.addAll(ctx.branches);
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
            ResponseRouting.stampTopVia(reply, ctx.received(), ctx.msg().topVia(), ctx.forceRport);
        } catch (SipParseException e) {
            // no readable Via: nothing to stamp
        }
    }
}
