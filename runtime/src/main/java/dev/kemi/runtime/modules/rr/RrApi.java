package dev.kemi.runtime.modules.rr;

import dev.kemi.runtime.core.MessageContext;

/**
 * What rr offers other modules (Kamailio's rr_binds): bound with
 * {@code services.api(RrApi.class, "uac", "rr")}.
 */
public interface RrApi {
    /** add_rr_param: a parameter (";name=value") for this request's Record-Route. 1 done, -1 bad input. */
    int addRrParam(MessageContext ctx, String param);

    /** The value of a parameter of our Route URI that loose_route consumed ("" for a bare one), or null. */
    String routeParam(MessageContext ctx, String name);

    /** is_direction("upstream") after loose_route: our Route's ftag is not the From tag. */
    boolean isUpstream(MessageContext ctx);

    /** modparam append_fromtag. */
    boolean appendFromtag();

    /** Kamailio's register_rrcb: called by loose_route when our Route URI had parameters. Call at init. */
    void addRouteCallback(RouteCallback cb);

    interface RouteCallback {
        /** @param params our Route URI's parameters (";lr;did=..."), never empty */
        void routed(MessageContext ctx, String params);
    }
}
