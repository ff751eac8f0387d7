package dev.kemi.runtime.modules.uac;

import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.modules.rr.RrApi;
import dev.kemi.runtime.modules.tm.Transaction;
import dev.kemi.runtime.sip.NameAddr;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;

/**
 * uac_replace_from/to and their restoring, as Kamailio 5.6.3's replace.c: the header is edited
 * on the way out, the old/new pair travels in a Record-Route parameter, in-dialog requests are
 * restored from the Route parameter (either direction), and replies get the header of the
 * request as received back.
 */
final class Replacer {
    static final int AUTO = 0, MANUAL = 1, NONE = 2;

    private final UacConfig cfg;
    private final RrApi rr;

    Replacer(UacConfig cfg, RrApi rr) {
        this.cfg = cfg;
        this.rr = rr;
    }

    /** replace_uri(): 1 done, -1 error. display null = keep it, "" = remove it; uri null or "" = keep it. */
    int replace(MessageContext ctx, String display, String uri, boolean from) {
        SipMessage msg = ctx.msg();
        if (!msg.isRequest()) return -1;
        String hdr = from ? "from" : "to";
        UacState mine = UacState.peek(ctx);
        if (ctx.routeType() == RouteType.REQUEST && mine != null && (from ? mine.from : mine.to)) {
            ScriptLog.log(ScriptLog.ERR, "uac: called uac_replace_" + hdr + "() multiple times on the message");
            return -1;
        }
        NameAddrSpot spot = NameAddrSpot.of(msg, hdr);
        if (spot == null) {
            ScriptLog.log(ScriptLog.ERR, "uac: failed to find/parse " + hdr.toUpperCase() + " hdr");
            return -1;
        }
        boolean newUri = uri != null && !uri.isEmpty();
        if (cfg.restoreMode == AUTO && newUri && hasToTag(msg)) {
            ScriptLog.log(ScriptLog.ERR, "uac: decline FROM replacing in sequential request in auto mode (has TO tag)");
            return -1;
        }
        if (display != null) {
            if (spot.hasDisplay()) {
                msg.replaceRange(spot.displayStart(), spot.displayEnd(), display);
            } else if (!display.isEmpty()) {
                if (spot.lt() >= 0) {
                    msg.replaceRange(spot.lt(), spot.lt(), display + " ");
                } else {
                    // a bare addr-spec: the display needs the brackets
                    msg.replaceRange(spot.uriEnd(), spot.uriEnd(), ">");
                    msg.replaceRange(spot.uriStart(), spot.uriStart(), display + " <");
                }
            }
        }
        if (!newUri) return 1;
        msg.replaceRange(spot.uriStart(), spot.uriEnd(), uri);
        if (cfg.restoreMode == NONE) return 1;
        if (!rr.appendFromtag()) {
            ScriptLog.log(ScriptLog.ERR, "uac: 'append_fromtag' RR param is not enabled! - required by AUTO restore mode");
            return -1;
        }
        String value = UriCodec.encode(spot.uri(), uri, cfg.passwd);
        if (value == null) {
            ScriptLog.log(ScriptLog.ERR, "uac: " + hdr + " uri too long");
            return -1;
        }
        if (rr.addRrParam(ctx, ";" + (from ? cfg.rrFromParam : cfg.rrToParam) + "=" + value) != 1) {
            ScriptLog.log(ScriptLog.ERR, "uac: add_RR_param failed");
            return -1;
        }
        mark(ctx, from, true);
        return 1;
    }

    /**
     * restore_uri(): the Route parameter of a sequential request turned back into the URI the
     * other side knows, in To or From depending on the direction. 1 restored, -1 not.
     */
    int restore(MessageContext ctx, boolean fromParam) {
        SipMessage msg = ctx.msg();
        String name = fromParam ? cfg.rrFromParam : cfg.rrToParam;
        String value = rr.routeParam(ctx, name);
        if (value == null) return -1;
        if (UriCodec.unbase64(value) == null) {
            ScriptLog.log(ScriptLog.ERR, "uac: failed to decode uri");
            return -1;
        }
        if (rr.addRrParam(ctx, ";" + name + "=" + value) != 1) return -1;
        boolean upstream = rr.isUpstream(ctx);
        // the From pair sits in To for requests from the callee; the To pair in To for the caller's
        boolean inTo = fromParam == upstream;
        NameAddrSpot spot = NameAddrSpot.of(msg, inTo ? "to" : "from");
        if (spot == null) return -1;
        String restored = UriCodec.decode(value, spot.uri(), cfg.passwd);
        if (restored == null) {
            ScriptLog.log(ScriptLog.WARN, "uac: the " + name + " parameter does not restore ["
                    + spot.uri() + "] (altered by an end point?) - skipping the update");
            return -1;
        }
        msg.replaceRange(spot.uriStart(), spot.uriEnd(), restored);
        UacState st = UacState.of(ctx);
        if (inTo) st.to = true;
        else st.from = true;
        return 1;
    }

    /** Kamailio's rr_checker: loose_route found our Route with parameters (auto mode). */
    void routed(MessageContext ctx) {
        int a = restore(ctx, true);
        int b = restore(ctx, false);
        if (a + b != -2) UacState.of(ctx).restoreReplies = true;
    }

    /** restore_uris_reply: a reply gets the From/To of the request as it was received. */
    static void restoreReply(Transaction t, MessageContext reply) {
        UacState st = UacState.peek(t.requestContext());
        if (st == null || !st.restoreReplies) return;
        if (st.from) copyBack(t.request(), reply.msg(), "from");
        if (st.to) copyBack(t.request(), reply.msg(), "to");
    }

    private static void copyBack(SipMessage req, SipMessage rpl, String hdr) {
        NameAddrSpot q = NameAddrSpot.of(req, hdr);
        NameAddrSpot r = NameAddrSpot.of(rpl, hdr);
        if (q == null || r == null) {
            ScriptLog.log(ScriptLog.ERR, "uac: failed to restore " + hdr.toUpperCase());
            return;
        }
        rpl.replaceRange(r.bodyStart(), r.addrEnd(), req.receivedText(q.bodyStart(), q.addrEnd()));
    }

    private static void mark(MessageContext ctx, boolean from, boolean restoreReplies) {
        UacState st = UacState.of(ctx);
        st.restoreReplies |= restoreReplies;
        if (from) st.from = true;
        else st.to = true;
        // branch_route: the transaction's request carries the marks for its replies
        Transaction t = Transaction.of(ctx);
        if (t != null && t.requestContext() != ctx) {
            UacState ts = UacState.of(t.requestContext());
            ts.restoreReplies |= restoreReplies;
            if (from) ts.from = true;
            else ts.to = true;
        }
    }

    private static boolean hasToTag(SipMessage msg) {
        try {
            NameAddr to = msg.to();
            return to != null && to.tag() != null && !to.tag().isEmpty();
        } catch (SipParseException e) {
            return false;
        }
    }
}
