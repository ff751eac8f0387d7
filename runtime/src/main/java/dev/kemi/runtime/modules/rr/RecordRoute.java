package dev.kemi.runtime.modules.rr;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.core.Advertised;
import dev.kemi.runtime.sip.NameAddr;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.transport.Protocol;

/**
 * Builds the Record-Route header(s) record_route() asked for, on an outgoing copy of the
 * request, once the sending socket is known: for every copy the stateless forwarder and tm
 * send (through {@code core.StatelessForward.prepareRequest}; tm: per branch).
 *
 * <p>Format as Kamailio's rr: {@code <sip:HOST[:PORT][;transport=tcp][;r2=on];lr[;ftag=TAG][params]>};
 * the port is left out when it is 5060 and not advertised; transport is left out for UDP. When
 * the request leaves on another socket than it came in on (enable_double_rr=1), or always
 * (enable_double_rr=2), two headers are added, each with ;r2=on: the outgoing socket's on top.
 */
public final class RecordRoute {
    private RecordRoute() {}

    /** Adds our Record-Route header(s) to {@code out}, if record_route() was called for ctx. */
    public static void apply(MessageContext ctx, SipMessage out, ListenSocket outSocket) {
        apply(ctx, null, out, outSocket);
    }

    /**
     * The same for one branch of a transaction: what add_rr_param() added in that branch's
     * branch_route ({@code branchCtx}, null if none ran) goes on this branch's Record-Route only.
     */
    public static void apply(MessageContext ctx, MessageContext branchCtx, SipMessage out, ListenSocket outSocket) {
        RrState st = RrState.peek(ctx);
        if (st == null || !out.markApplied(SipMessage.APPLIED_RECORD_ROUTE)) return;
        RrModule cfg = RrModule.config(ctx);
        if (st.preset != null) {
            if (st.preset2 != null) {
                out.insertRecordRoute(presetValue(ctx, cfg, st.user, st.preset, true));
                out.insertRecordRoute(presetValue(ctx, cfg, st.user, st.preset2, true));
            } else {
                out.insertRecordRoute(presetValue(ctx, cfg, st.user, st.preset, false));
            }
        }
        if (!st.pending) return;
        ListenSocket in = ctx.received().socket();
        if (st.advertised != null) {
            advertised(ctx, cfg, st, in, outSocket, out);
            return;
        }
        boolean dbl = cfg.enableDoubleRr == 2 || (cfg.enableDoubleRr == 1 && outSocket != null && differ(in, outSocket));
        String tag = cfg.appendFromtag ? tag(ctx) : null;
        RrState branch = branchCtx == null ? null : RrState.peek(branchCtx);
        String params = branch == null ? st.params : st.params + branch.params;
        boolean sips = sips(ctx);
        // insertions at the same place keep their order: the outgoing side goes on top
        if (dbl) out.insertRecordRoute(value(Advertised.sendSide(ctx, outSocket), st.user, true, tag, params, cfg.enableFullLr, sips));
        out.insertRecordRoute(value(in, st.user, dbl, tag, params, cfg.enableFullLr, sips));
    }

    /** Different sockets (Kamailio's COND_IF_DIFF_REALMS): protocol, address or port differ. */
    static boolean differ(ListenSocket a, ListenSocket b) {
        return a.proto() != b.proto() || !a.address().equals(b.address());
    }

    static String value(ListenSocket s, String user, boolean r2, String tag, String params, boolean fullLr, boolean sips) {
        StringBuilder b = new StringBuilder(80).append(sips ? "<sips:" : "<sip:");
        if (user != null && !user.isEmpty()) b.append(user).append('@');
        b.append(s.viaHost());
        if (s.viaPort() != 5060 || s.advertisePort() > 0) b.append(':').append(s.viaPort());
        if (s.proto() != Protocol.UDP) b.append(";transport=").append(s.proto().uriName());
        if (r2) b.append(";r2=on");
        b.append(fullLr ? ";lr=on" : ";lr");
        if (tag != null && !tag.isEmpty()) b.append(";ftag=").append(tag);
        return b.append(params).append('>').toString();
    }

    /**
     * As Kamailio's build_advertised_rr: {@code <sip:ADDR[;transport=P[;r2=on]];ftag=T;lr PARAMS>};
     * transport and r2 only when the two sides' protocols differ (or enable_double_rr=2).
     */
    private static void advertised(MessageContext ctx, RrModule cfg, RrState st, ListenSocket in, ListenSocket outSocket,
                                   SipMessage out) {
        boolean diffProto = cfg.enableDoubleRr == 2 || (outSocket != null && in.proto() != outSocket.proto());
        boolean diffRealm = cfg.enableDoubleRr == 2 || (outSocket != null && differ(in, outSocket));
        String tag = cfg.appendFromtag ? tag(ctx) : null;
        boolean sips = sips(ctx);
        if (cfg.enableDoubleRr != 0 && diffProto) {
            out.insertRecordRoute(advertisedValue(st, outSocket.proto(), cfg.enableDoubleRr != 0 && diffRealm, tag, cfg, sips));
        }
        out.insertRecordRoute(advertisedValue(st, diffProto ? in.proto() : null, cfg.enableDoubleRr != 0 && diffRealm, tag, cfg, sips));
    }

    private static String advertisedValue(RrState st, Protocol transport, boolean r2, String tag, RrModule cfg, boolean sips) {
        StringBuilder b = new StringBuilder(80).append(sips ? "<sips:" : "<sip:");
        if (st.user != null && !st.user.isEmpty()) b.append(st.user).append('@');
        b.append(st.advertised);
        if (transport != null) {
            b.append(";transport=").append(transport.lower());
            if (r2) b.append(";r2=on");
        }
        if (tag != null && !tag.isEmpty()) b.append(";ftag=").append(tag);
        b.append(cfg.enableFullLr ? ";lr=on" : ";lr");
        return b.append(st.params).append('>').toString();
    }

    private static String presetValue(MessageContext ctx, RrModule cfg, String user, String data, boolean r2) {
        StringBuilder b = new StringBuilder(sips(ctx) ? "<sips:" : "<sip:");
        if (user != null && !user.isEmpty()) b.append(user).append('@');
        b.append(data);
        if (r2) b.append(";r2=on");
        String tag = cfg.appendFromtag ? fromTag(ctx) : null;
        if (tag != null && !tag.isEmpty()) b.append(";ftag=").append(tag);
        b.append(cfg.enableFullLr ? ";lr=on" : ";lr");
        return b.append('>').toString();
    }

    /** From-tag, or the To-tag for an in-dialog request going upstream. */
    private static String tag(MessageContext ctx) {
        if (LooseRoute.isUpstream(ctx)) {
            try {
                NameAddr to = ctx.msg().to();
                return to == null ? null : to.tag();
            } catch (SipParseException e) {
                return null;
            }
        }
        return fromTag(ctx);
    }

    static String fromTag(MessageContext ctx) {
        try {
            NameAddr f = ctx.msg().from();
            return f == null ? null : f.tag();
        } catch (SipParseException e) {
            return null;
        }
    }

    private static boolean sips(MessageContext ctx) {
        String u = ctx.msg().requestUri();
        return u != null && u.regionMatches(true, 0, "sips:", 0, 5);
    }
}
