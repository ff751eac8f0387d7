package dev.kemi.runtime.modules.rr;

import dev.kemi.runtime.core.Failures;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.core.SendSocket;
import dev.kemi.runtime.sip.Header;
import dev.kemi.runtime.sip.NameAddr;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.SipUri;
import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.transport.Protocol;
import java.util.ArrayList;
import java.util.List;

/**
 * loose_route() as Kamailio's rr (RFC 3261 §16.4, §16.12): consumes our own Route entries
 * (two with double Record-Route), then sends to the next Route via $du, or, if the next hop is
 * a strict router, puts it into the R-URI and saves the R-URI as the last Route. Also undoes
 * a previous strict router's rewrite when the R-URI is ours.
 */
final class LooseRoute {
    static final int RR_DRIVEN = 1;
    static final int RR_OB_DRIVEN = 2;
    static final int RR_FLOW_TOKEN_BROKEN = -2;
    static final int NOT_RR_DRIVEN = -1;
    static final int RR_ERROR = -1;
    static final int RR_PRELOADED = -3;

    private final MessageContext ctx;
    private final SipMessage msg;
    private final RrModule cfg;
    /** Route fields and their values in order. */
    private final List<Header> fields;
    private final List<List<String>> values = new ArrayList<>();
    /** Values consumed from the front so far. */
    private int consumed;
    /** The last Route value became the R-URI (recovery from a strict router): drop it. */
    private boolean removeLast;

    private LooseRoute(MessageContext ctx, RrModule cfg) {
        this.ctx = ctx;
        this.msg = ctx.msg();
        this.cfg = cfg;
        this.fields = dev.kemi.runtime.modules.HeaderEdits.named(msg, "Route");
        for (Header h : fields) values.add(RouteValues.split(h.value()));
    }

    static int run(MessageContext ctx, RrModule cfg, boolean looseOnly) {
        if (!ctx.msg().isRequest() || !ctx.msg().hasHeader("Route")) return -1;
        LooseRoute lr = new LooseRoute(ctx, cfg);
        if (lr.fields.isEmpty() || lr.total() == 0) return -1;
        try {
            ctx.msg().parsedRequestUri();
        } catch (SipParseException e) {
            return -1;
        }
        String toTag;
        try {
            NameAddr to = ctx.msg().to();
            if (to == null) return -1;
            toTag = to.tag();
        } catch (SipParseException e) {
            return -1;
        }
        boolean preloaded = toTag == null || toTag.isEmpty();
        int r;
        if (!preloaded && !looseOnly && lr.mine(ctx.msg().requestUri())) r = lr.afterStrict();
        else r = lr.afterLoose(preloaded);
        lr.commit();
        // Kamailio runs the rr callbacks only for our own Route with parameters
        RrState st = RrState.peek(ctx);
        if (r != RR_ERROR && r != RR_FLOW_TOKEN_BROKEN && st != null && st.routedParams != null && !st.routedParams.isEmpty()) cfg.routed(ctx, st.routedParams);
        return r;
    }

    private int total() {
        int n = 0;
        for (List<String> v : values) n += v.size();
        return n;
    }

    private String value(int i) {
        for (List<String> v : values) {
            if (i < v.size()) return v.get(i);
            i -= v.size();
        }
        return null;
    }

    /**
     * rr's own is_myself (loose.c): our host and port (5060 when none) over any protocol, as
     * check_self(host, port, 0) — a ";transport=ws" entry names the TLS listener of WSS — but not a
     * GRUU (";gr", as a browser's Contact in a BYE to it).
     */
    private boolean mine(String uri) {
        try {
            SipUri u = SipUri.parse(uri);
            if (u.host() == null || !ctx.services().isMyself(u.host(), u.port() > 0 ? u.port() : 5060, null)) return false;
            return u.param("gr") == null;
        } catch (SipParseException | RuntimeException e) {
            return ctx.isMyself(uri, true);
        }
    }

    private int afterLoose(boolean preloaded) {
        String first = RouteValues.uri(value(0));
        if (!parses(first)) return RR_ERROR;
        RrState st = RrState.of(ctx);
        String uri;
        int next = 0;
        boolean overFlow = false;
        if (mine(first)) {
            st.routedParams = RouteValues.uriParams(first);
            int ob = OutboundRoute.route(ctx, cfg.outbound, first);
            if (ob < 0) return RR_FLOW_TOKEN_BROKEN;
            overFlow = ob == 1;
            int done = overFlow ? RR_OB_DRIVEN : preloaded ? RR_PRELOADED : RR_DRIVEN;
            consumed = 1;
            next = 1;
            if (value(next) == null) return done;
            if (cfg.enableDoubleRr != 0 && RouteValues.hasR2(first)) {
                if (!overFlow) forceSocket(RouteValues.uri(value(next)));
                consumed = 2;
                next = 2;
                if (value(next) == null) return done;
            }
            uri = RouteValues.uri(value(next));
            if (!parses(uri)) return RR_ERROR;
            st.routeAddr = true;
        } else {
            st.routedParams = null;
            uri = first;
        }
        if (RouteValues.isStrict(uri)) {
            // next hop is a strict router: it gets the R-URI, ours goes to the end of the route set
            msg.appendHeader("Route: <" + msg.requestUri() + ">\r\n");
            msg.setRequestUri(maddrUri(uri));
            consumed = next + 1;
        } else if (!overFlow) {
            ctx.setDstUri(maddrUri(uri));
            msg.markRequestUriNew(); // loose.c: the new next hop re-uses the R-URI
        }
        return overFlow ? RR_OB_DRIVEN : RR_DRIVEN;
    }

    /** The previous hop was a strict router: the R-URI is our Record-Route entry. */
    private int afterStrict() {
        String uri = RouteValues.uri(value(0));
        if (!parses(uri)) return RR_ERROR;
        int at = 0;
        if (cfg.enableDoubleRr != 0 && RouteValues.hasR2(uri) && mine(uri)) {
            forceSocket(uri);
            consumed = 1;
            at = 1;
            if (value(at) == null) return NOT_RR_DRIVEN;
            uri = RouteValues.uri(value(at));
            if (!parses(uri)) return RR_ERROR;
        }
        RrState.of(ctx).routedParams = RouteValues.uriParams(msg.requestUri());
        if (RouteValues.isStrict(uri)) {
            msg.setRequestUri(maddrUri(uri));
            consumed = at + 1;
        } else {
            ctx.setDstUri(maddrUri(uri));
            msg.markRequestUriNew();
            int last = total() - 1;
            if (last <= at) return RR_ERROR;
            msg.setRequestUri(maddrUri(RouteValues.uri(value(last))));
            removeLast = true;
        }
        return RR_DRIVEN;
    }

    /** Writes the remaining route set back: consumed values (and the last, if taken) removed. */
    private void commit() {
        if (consumed == 0 && !removeLast) return;
        List<String> rest = new ArrayList<>();
        for (int i = consumed; i < total(); i++) rest.add(value(i));
        if (removeLast && !rest.isEmpty()) rest.removeLast();
        for (Header h : fields) msg.removeHeader(h);
        if (!rest.isEmpty()) msg.insertHeaderBefore("Route: " + String.join(", ", rest) + "\r\n", fields.get(0).name());
    }

    /** sip:MADDR[:port] when the URI has maddr, else the URI. */
    private static String maddrUri(String uri) {
        try {
            SipUri u = SipUri.parse(uri);
            String maddr = u.param("maddr");
            if (maddr == null || maddr.isEmpty()) return uri;
            return "sip:" + maddr + (u.port() > 0 ? ":" + u.port() : "");
        } catch (SipParseException e) {
            return uri;
        }
    }

    private static boolean parses(String uri) {
        try {
            SipUri.parse(uri);
            return true;
        } catch (SipParseException | RuntimeException e) {
            Failures.handled("rr: parses", e);
            return false;
        }
    }

    /** Double Record-Route: leave from the socket the second Route entry names. */
    private void forceSocket(String uri) {
        try {
            SipUri u = SipUri.parse(uri);
            Protocol proto = dev.kemi.runtime.modules.core.NextHop.protocol(u);
            int port = u.port() > 0 ? u.port() : (proto == Protocol.TLS ? 5061 : 5060);
            for (ListenSocket s : ctx.services().sockets()) {
                // WS and WSS live on the TCP and TLS listeners; ";transport=ws" also names a WSS one (RFC 7118)
                boolean fits = s.proto() == proto || (proto == Protocol.WS && (s.proto() == Protocol.TCP || s.proto() == Protocol.TLS))
                        || (proto == Protocol.WSS && s.proto() == Protocol.TLS);
                if (fits && s.viaPort() == port && (s.viaHost().equalsIgnoreCase(u.host())
                        || s.address().getAddress().getHostAddress().equalsIgnoreCase(u.host()))) {
                    SendSocket.set(ctx, s);
                    return;
                }
            }
        } catch (SipParseException ignored) {
            // no socket forced; the default choice applies
        }
    }

    /** is_direction("upstream"): our Route's ftag differs from the From tag. */
    static boolean isUpstream(MessageContext ctx) {
        RrState st = RrState.peek(ctx);
        if (st == null || st.routedParams == null) return false;
        String ftag = null;
        for (String p : st.routedParams.split(";")) {
            String[] kv = p.split("=", 2);
            if (kv[0].trim().equalsIgnoreCase("ftag")) ftag = kv.length > 1 ? kv[1].trim() : "";
        }
        if (ftag == null) return false;
        return !ftag.equals(RecordRoute.fromTag(ctx));
    }
}
