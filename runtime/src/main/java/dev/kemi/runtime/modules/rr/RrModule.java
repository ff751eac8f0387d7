package dev.kemi.runtime.modules.rr;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.api.Param;
import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.PosixRegex;
import dev.kemi.runtime.modules.RegexCache;
import dev.kemi.runtime.modules.ScriptLog;
import java.util.Locale;

/**
 * Record-Route and loose routing (KSR.rr). record_route() only notes the request; the header
 * is built per outgoing copy by {@link RecordRoute#apply} (called from
 * {@code core.StatelessForward.prepareRequest}, which forward() and tm use).
 */
@Module(value = "rr", loadName = "rr")
public final class RrModule implements RrApi, dev.kemi.runtime.core.RuntimeModule {
    private final RegexCache regexes = new RegexCache();
    int enableDoubleRr = 1;
    boolean appendFromtag = true;
    boolean enableFullLr;

    /** The outbound module's API when it is loaded (flow tokens in our Record-Route, routing by them). */
    dev.kemi.runtime.modules.outbound.OutboundApi outbound;

    @Override
    public void init(dev.kemi.runtime.core.ProxyServices services) {
        outbound = services.optionalApi(dev.kemi.runtime.modules.outbound.OutboundApi.class).orElse(null);
    }

    private final java.util.List<RouteCallback> callbacks = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void addRouteCallback(RouteCallback cb) {
        callbacks.add(cb);
    }

    void routed(MessageContext ctx, String params) {
        for (RouteCallback cb : callbacks) cb.routed(ctx, params);
    }

    @Param("enable_double_rr")
    public void enableDoubleRr(int v) { enableDoubleRr = v; }

    @Param("append_fromtag")
    public void appendFromtag(int v) { appendFromtag = v != 0; }

    @Param("enable_full_lr")
    public void enableFullLr(int v) { enableFullLr = v != 0; }

    @Override
    public int addRrParam(MessageContext ctx, String param) { return add_rr_param(ctx, param); }

    @Override
    public String routeParam(MessageContext ctx, String name) {
        RrState st = RrState.peek(ctx);
        if (st == null || st.routedParams == null) return null;
        for (String p : st.routedParams.split(";")) {
            String[] kv = p.split("=", 2);
            if (kv[0].trim().equalsIgnoreCase(name)) return kv.length > 1 ? kv[1].trim() : "";
        }
        return null;
    }

    @Override
    public boolean isUpstream(MessageContext ctx) { return LooseRoute.isUpstream(ctx); }

    @Override
    public boolean appendFromtag() { return appendFromtag; }

    /** The loaded rr module's settings (defaults when rr is not loaded). */
    static RrModule config(MessageContext ctx) {
        RrModule m = ctx.services() == null ? null : ctx.services().optionalApi(RrModule.class).orElse(null);
        return m == null ? new RrModule() : m;
    }

    private int record(MessageContext ctx, String params) {
        RrState st = RrState.of(ctx);
        if (st.recorded) {
            ScriptLog.log(ScriptLog.ERR, "Double attempt to record-route");
            return -1;
        }
        if (!ctx.msg().isRequest()) return -1;
        if (flowUser(ctx, st) < 0) return -1;
        // branch_route may record again for another branch: no guard there
        if (ctx.routeType() != RouteType.BRANCH) st.recorded = true;
        st.pending = true;
        if (params != null && !params.isEmpty()) st.params += params.startsWith(";") ? params : ";" + params;
        return 1;
    }

    /**
     * With outbound: the user part of our Record-Route is a new flow token (we are the UA's
     * first hop) or the one of our top Route (a request to the UA over its flow). -1 error.
     */
    private int flowUser(MessageContext ctx, RrState st) {
        int use = outbound == null ? 0 : outbound.useOutbound(ctx);
        if (use == 1) {
            st.user = outbound.encodeFlowToken(ctx.received());
        } else if (use == 2) {
            try {
                java.util.List<dev.kemi.runtime.sip.NameAddr> routes = ctx.msg().routes();
                if (routes.isEmpty()) return -1;
                st.user = routes.get(0).parsedUri().user();
            } catch (dev.kemi.runtime.sip.SipParseException e) {
                ScriptLog.log(ScriptLog.ERR, "copying outbound flow-token");
                return -1;
            }
        }
        return 1;
    }

    @Export(natives = "record_route", routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.BRANCH, returns = {1, -1})
    public int record_route(MessageContext ctx) { return record(ctx, null); }

    @Export(natives = "record_route", routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.BRANCH, returns = {1, -1})
    public int record_route_params(MessageContext ctx, String params) { return record(ctx, params); }

    /**
     * Record-Route with this host[:port] instead of the receiving socket's; a second one (the
     * same address, ;r2=on and ;transport of each side) only when the request leaves over
     * another protocol (enable_double_rr=1), or always (2). Counts as record_route().
     */
    @Export(routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.BRANCH, returns = {1, -1})
    public int record_route_advertised_address(MessageContext ctx, String addr) {
        if (addr == null || addr.isEmpty()) return -1;
        int r = record(ctx, null);
        if (r > 0) RrState.of(ctx).advertised = addr;
        return r;
    }

    /** Static Record-Route ("host[:port][;params]"), not checked. */
    @Export(natives = "record_route_preset", routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.BRANCH, returns = {1, -1})
    public int record_route_preset_one(MessageContext ctx, String data) {
        if (!ctx.msg().isRequest() || data == null || data.isEmpty()) return -1;
        if (flowUser(ctx, RrState.of(ctx)) < 0) return -1;
        RrState.of(ctx).preset = data;
        return 1;
    }

    /** Two static Record-Routes (double routing), both with ;r2=on. */
    @Export(natives = "record_route_preset", routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.BRANCH, returns = {1, -1})
    public int record_route_preset(MessageContext ctx, String data, String data2) {
        if (!ctx.msg().isRequest() || data == null || data.isEmpty()) return -1;
        RrState st = RrState.of(ctx);
        if (flowUser(ctx, st) < 0) return -1;
        st.preset = data;
        st.preset2 = data2 == null || data2.isEmpty() ? null : data2;
        return 1;
    }

    /** Drops what record_route asked for on this message. */
    @Export(routes = RouteType.REQUEST | RouteType.FAILURE, returns = {1})
    public int remove_record_route(MessageContext ctx) {
        RrState st = RrState.peek(ctx);
        if (st != null) {
            st.pending = false;
            st.preset = null;
            st.preset2 = null;
            st.advertised = null;
            st.params = "";
        }
        return 1;
    }

    @Export(routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.BRANCH, returns = {1, -1})
    public int add_rr_param(MessageContext ctx, String param) {
        if (param == null || param.isEmpty()) return -1;
        RrState.of(ctx).params += param.startsWith(";") ? param : ";" + param;
        return 1;
    }

    /** 1 route-driven, 2 routed over an outbound flow, -1 not, -2 flow token broken, -3 preloaded Route to ourselves only. */
    @Export(routes = RouteType.REQUEST, returns = {1, 2, -1, -2})
    public int loose_route(MessageContext ctx) { return LooseRoute.run(ctx, config(ctx), false); }

    /** mode 1: loose routing only (no strict-router recovery). */
    @Export(routes = RouteType.REQUEST, returns = {1, 2, -1, -2})
    public int loose_route_mode(MessageContext ctx, int mode) {
        return LooseRoute.run(ctx, config(ctx), (mode & 1) != 0);
    }

    /** 1 only when the Route set was preloaded (the request has no To-tag). */
    @Export(routes = RouteType.REQUEST, returns = {1, -1})
    public int loose_route_preloaded(MessageContext ctx) {
        int r = LooseRoute.run(ctx, config(ctx), false);
        if (r < 0 && r != LooseRoute.RR_PRELOADED) return -1;
        try {
            dev.kemi.runtime.sip.NameAddr to = ctx.msg().to();
            return to != null && to.tag() != null && !to.tag().isEmpty() ? -1 : 1;
        } catch (dev.kemi.runtime.sip.SipParseException e) {
            return -1;
        }
    }

    /** Regex over our Route URI's parameters (after loose_route). */
    @Export(routes = RouteType.REQUEST, returns = {1, -1})
    public int check_route_param(MessageContext ctx, String re) {
        RrState st = RrState.peek(ctx);
        if (st == null || st.routedParams == null || st.routedParams.isEmpty()) return -1;
        return regexes.compile(re, PosixRegex.ICASE).matcher(st.routedParams).find() ? 1 : -1;
    }

    /** "downstream" / "upstream" per our Route's ftag; needs append_fromtag. */
    @Export(routes = RouteType.REQUEST, returns = {1, -1})
    public int is_direction(MessageContext ctx, String dir) {
        if (!appendFromtag) {
            ScriptLog.log(ScriptLog.ERR, "is_direction requires modparam append_fromtag enabled");
            return -1;
        }
        boolean up = LooseRoute.isUpstream(ctx);
        return switch (dir.toLowerCase(Locale.ROOT)) {
            case "upstream" -> up ? 1 : -1;
            case "downstream" -> up ? -1 : 1;
            default -> -1;
        };
    }

    /** 1 if loose_route() took the next hop from the Route after ours (FL_ROUTE_ADDR), else -1. */
    @Export(natives = "rr_next_hop_route", returns = {1, -1})
    public int next_hop_route(MessageContext ctx) {
        RrState st = RrState.peek(ctx);
        return st != null && st.routeAddr ? 1 : -1;
    }
}
