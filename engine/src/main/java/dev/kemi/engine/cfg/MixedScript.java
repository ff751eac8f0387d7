package dev.kemi.engine.cfg;

import dev.kemi.api.RoutingScript;
import dev.kemi.api.ScriptContext;

/**
 * A KEMI engine with the cfg's native route blocks: KSR.route("NAME") runs route[NAME]; with a
 * native request_route in the cfg, as in Kamailio's receive.c, that block handles requests and
 * everything else goes to the KEMI script.
 */
final class MixedScript implements RoutingScript {
    private final NativeScript nat;
    private final RoutingScript kemi;

    private final boolean nativeRequest;

    MixedScript(NativeScript nat, RoutingScript kemi) {
        this.nat = nat;
        this.kemi = kemi;
        this.nativeRequest = nat.has(dev.kemi.api.RouteType.REQUEST, "");
    }

    @Override
    public void onRequest(ScriptContext ctx) {
        if (nativeRequest) nat.onRequest(ctx);
        else kemi.onRequest(ctx);
    }

    @Override
    public int route(String name, ScriptContext ctx) {
        return nat.route(name, ctx);
    }

    @Override
    public void onReply(ScriptContext ctx) {
        kemi.onReply(ctx);
    }

    @Override
    public void onNamedRoute(int routeType, String name, ScriptContext ctx) {
        kemi.onNamedRoute(routeType, name, ctx);
    }

    @Override
    public void onSend(ScriptContext ctx) {
        kemi.onSend(ctx);
    }

    @Override
    public void onEvent(String event, ScriptContext ctx) {
        kemi.onEvent(event, ctx);
    }

    @Override
    public boolean has(int routeType, String name) {
        return nativeRequest && routeType == dev.kemi.api.RouteType.REQUEST && (name == null || name.isEmpty())
                || kemi.has(routeType, name);
    }

    @Override
    public void prepareWorkers(int workers) {
        kemi.prepareWorkers(workers);
    }

    @Override
    public void close() {
        kemi.close();
    }
}
