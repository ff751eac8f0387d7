package dev.kemi.api;

/**
 * A loaded routing logic (native cfg, Python or JavaScript) as the runtime drives it. The runtime
 * calls these from worker threads; drops are reported through {@link ScriptContext#setDrop()}.
 */
public interface RoutingScript extends AutoCloseable {
    /** request_route / ksr_request_route. */
    void onRequest(ScriptContext ctx);

    /** Core reply_route / ksr_reply_route, for every received reply. */
    void onReply(ScriptContext ctx);

    /**
     * A route armed by name: failure, branch, tm onreply, branch-failure ({@link RouteType}), or a
     * native sub-route / KEMI named callback. Unknown names are silently skipped, as in Kamailio.
     */
    void onNamedRoute(int routeType, String name, ScriptContext ctx);

    /** onsend_route / ksr_onsend_route, before a message leaves. */
    void onSend(ScriptContext ctx);

    /** event_route[name] / the module's event callback. */
    void onEvent(String event, ScriptContext ctx);

    /** Whether a block or callback exists (to skip work, and for `kemi check`). */
    boolean has(int routeType, String name);

    /**
     * KSR.route("NAME"): runs the cfg's native route[NAME]; -1 if there is none, 0 if it ended the
     * script (exit, drop, return 0), else its return code.
     */
    default int route(String name, ScriptContext ctx) {
        return -1;
    }

    /** Called once before the listeners open: make per-worker state (script contexts) for this many workers now. */
    default void prepareWorkers(int workers) {}

    @Override
    default void close() {}
}
