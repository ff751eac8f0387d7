package dev.kemi.runtime.core;

import dev.kemi.api.RouteType;
import dev.kemi.api.RoutingScript;
import dev.kemi.api.ScriptContext;
import dev.kemi.runtime.sip.SipMessage;

/**
 * The routing used when the cfg has no routing blocks at all, so a fresh install answers
 * something useful: OPTIONS addressed to the proxy (R-URI host is ours) get "200 OK" (a
 * keep-alive/ping answer), CANCEL gets "481 Call/Transaction Does Not Exist" (there are no
 * transactions), ACK is absorbed, and every other request gets "404 Not Found" — what Kamailio's
 * stock config answers when it has nowhere to route a request. Replies are relayed statelessly
 * by the core.
 */
public final class DefaultRoute implements RoutingScript {

    /** True if the script has neither request_route nor reply_route: use this instead. */
    public static boolean applies(RoutingScript script) {
        return !script.has(RouteType.REQUEST, null) && !script.has(RouteType.CORE_REPLY, null);
    }

    @Override
    public void onRequest(ScriptContext sc) {
        MessageContext ctx = (MessageContext) sc;
        SipMessage msg = ctx.msg();
        switch (msg.method()) {
            case "ACK" -> { }
            case "CANCEL" -> StatelessReply.send(ctx, 481, "Call/Transaction Does Not Exist");
            case "OPTIONS" -> {
                if (ctx.isMyself(msg.requestUri(), false)) StatelessReply.send(ctx, 200, "OK");
                else StatelessReply.send(ctx, 404, "Not Found");
            }
            default -> StatelessReply.send(ctx, 404, "Not Found");
        }
    }

    @Override
    public void onReply(ScriptContext ctx) { }

    @Override
    public void onNamedRoute(int routeType, String name, ScriptContext ctx) { }

    @Override
    public void onSend(ScriptContext ctx) { }

    @Override
    public void onEvent(String event, ScriptContext ctx) { }

    @Override
    public boolean has(int routeType, String name) {
        return routeType == RouteType.REQUEST && name == null;
    }
}
