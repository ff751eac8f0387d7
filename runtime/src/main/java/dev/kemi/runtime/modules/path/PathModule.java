package dev.kemi.runtime.modules.path;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.api.Param;
import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.core.RuntimeModule;
import dev.kemi.runtime.modules.core.OutgoingHeaders;
import dev.kemi.runtime.modules.outbound.OutboundApi;
import dev.kemi.runtime.modules.rr.RrApi;

/**
 * RFC 3327 Path headers, as Kamailio 5.6.3's path module: add_path() puts our address (the
 * socket the REGISTER leaves from) in a Path header in front of the others, with a flow token
 * as user and ;ob when outbound is loaded and applies (RFC 5626 §5.1); add_path_received()
 * also records where the request came from, and use_received sends requests routed by such a
 * Path entry back there.
 */
@Module(value = "path", loadName = "path")
public final class PathModule implements RuntimeModule {
    boolean useReceived;
    int receivedFormat;
    boolean enableR2;
    String receivedName = "received";
    private OutboundApi outbound;

    @Param("use_received") public void useReceived(int v) { useReceived = v != 0; }
    @Param("received_format") public void receivedFormat(int v) { receivedFormat = v; }
    @Param("enable_r2") public void enableR2(int v) { enableR2 = v != 0; }
    @Param("received_name") public void receivedName(String v) { receivedName = v; }

    @Override
    public void init(ProxyServices services) {
        outbound = services.optionalApi(OutboundApi.class).orElse(null);
        if (useReceived) services.api(RrApi.class, "path", "rr").addRouteCallback((ctx, params) -> ReceivedRoute.apply(ctx, params, this));
    }

    @Export(natives = "add_path", routes = RouteType.REQUEST, returns = {1, -1})
    public int add_path(MessageContext ctx) {
        return withOutbound(ctx, false);
    }

    @Export(natives = "add_path", routes = RouteType.REQUEST, returns = {1, -1})
    public int add_path_user(MessageContext ctx, String user) {
        return prepend(ctx, user, false, false, null);
    }

    @Export(natives = "add_path", routes = RouteType.REQUEST, returns = {1, -1})
    public int add_path_user_params(MessageContext ctx, String user, String params) {
        return prepend(ctx, user, false, false, params);
    }

    @Export(natives = "add_path_received", routes = RouteType.REQUEST, returns = {1, -1})
    public int add_path_received(MessageContext ctx) {
        return withOutbound(ctx, true);
    }

    @Export(natives = "add_path_received", routes = RouteType.REQUEST, returns = {1, -1})
    public int add_path_received_user(MessageContext ctx, String user) {
        return prepend(ctx, user, true, false, null);
    }

    @Export(natives = "add_path_received", routes = RouteType.REQUEST, returns = {1, -1})
    public int add_path_received_user_params(MessageContext ctx, String user, String params) {
        return prepend(ctx, user, true, false, params);
    }

    /** Without a user of the script's: the flow token, and ;ob when we are the UA's first hop. */
    private int withOutbound(MessageContext ctx, boolean received) {
        String user = null;
        boolean ob = false;
        if (outbound != null && outbound.useOutbound(ctx) != 0) {
            user = outbound.encodeFlowToken(ctx.received());
            try {
                ob = ctx.msg().vias().size() < 2;
            } catch (dev.kemi.runtime.sip.SipParseException e) {
                ob = true; // as Kamailio: no parsable second Via
            }
        }
        return prepend(ctx, user, received, ob, null);
    }

    private int prepend(MessageContext ctx, String user, boolean received, boolean ob, String params) {
        if (!ctx.msg().isRequest()) return -1;
        String suffix = PathHeader.suffix(ctx.received(), received, receivedFormat, receivedName, ob, params, enableR2);
        OutgoingHeaders.add(ctx, (out, socket) -> PathHeader.insert(ctx, out, socket, user, suffix, enableR2));
        return 1;
    }
}
