package dev.kemi.runtime.core;

import dev.kemi.runtime.sip.NameAddr;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.Via;
import dev.kemi.runtime.transport.Destination;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A reply sent by the core without a transaction (built-in default route, malformed requests):
 * the essential headers copied from the request, a To-tag from 180 on, received/rport on the
 * top Via, the Server header; sent to where {@link ResponseRouting#toSender} says.
 */
public final class StatelessReply {
    /** Per-process part of the To-tags (32 hex digits, as Kamailio's), so two proxies never hand out the same tag. */
    private static final String TAG_PREFIX = String.format("%016x%016x", ThreadLocalRandom.current().nextLong(),
            ThreadLocalRandom.current().nextLong());

    private StatelessReply() {}

    /** Sends "code reason" to the request's sender; false if it is an ACK or could not be sent. The reason is made printable. */
    public static boolean send(MessageContext ctx, int code, String reason) {
        SipMessage req = ctx.msg();
        if ("ACK".equals(req.method())) return false;
        Via via;
        try {
            via = req.topVia();
        } catch (SipParseException e) {
            return false;
        }
        Destination to = ResponseRouting.toSender(ctx.received(), via, ctx.forceRport(), ctx.replyNoConnect(), ctx.replyClose());
        String server = serverHeader(ctx.services());
        SipMessage resp = SipMessage.response(req, code, phrase(reason), code >= 180 ? toTag(req) : null,
                server == null ? List.of() : List.of(server), null);
        ResponseRouting.stampTopVia(resp, ctx.received(), via, ctx.forceRport());
        ctx.markReplied();
        return ctx.services().sender().send(to, resp.toBytes(), null);
    }

    /** A reason phrase fit for the status line: one printable line, not too long. */
    private static String phrase(String reason) {
        if (reason == null) return "";
        String r = reason.length() > 120 ? reason.substring(0, 120) : reason;
        for (int i = 0; i < r.length(); i++) {
            char c = r.charAt(i);
            if (c < 0x20 || c == 0x7f) return r.replaceAll("[\\x00-\\x1f\\x7f]", " ").trim();
        }
        return r;
    }

    /**
     * The "Server: ..." line of locally generated replies (core and sl), or null with
     * server_signature=no; a configured server_header replaces it (Kamailio core parameters).
     */
    public static String serverHeader(ProxyServices services) {
        String sig = services.globalParam("server_signature");
        if (sig != null && (sig.equalsIgnoreCase("no") || sig.equalsIgnoreCase("off") || sig.equalsIgnoreCase("false")
                || sig.equals("0"))) {
            return null;
        }
        String h = services.globalParam("server_header");
        if (h == null || h.isEmpty()) return "Server: " + Version.NAME + " (" + Version.VERSION + ")";
        return h.endsWith("\r\n") ? h.substring(0, h.length() - 2) : h;
    }

    /**
     * The To-tag of local stateless replies (core and sl), shaped like Kamailio's sl tags: a
     * per-process hex part, '.', then a hash of Call-ID, From-tag and top Via branch, so a
     * retransmitted request gets the same tag (and its ACK can be matched to the reply).
     */
    public static String toTag(SipMessage req) {
        long h = 0xcbf29ce484222325L;
        String fromTag = "";
        String branch = "";
        try {
            NameAddr f = req.from();
            if (f != null && f.tag() != null) fromTag = f.tag();
            Via v = req.topVia();
            if (v != null && v.branch() != null) branch = v.branch();
        } catch (SipParseException e) {
            // hash what could be read
        }
        for (String s : new String[] {String.valueOf(req.callId()), fromTag, branch}) {
            for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
                h ^= (b & 0xff);
                h *= 0x100000001b3L;
            }
        }
        return TAG_PREFIX + "." + String.format("%08x", (int) (h ^ (h >>> 32)));
    }
}
