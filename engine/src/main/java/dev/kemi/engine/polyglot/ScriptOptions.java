package dev.kemi.engine.polyglot;

import dev.kemi.api.ScriptContext;
import java.time.Duration;
import java.util.Map;

/**
 * How a Python or JS routing script is loaded and driven. Defaults are Kamailio's.
 *
 * @param modInitFunction  app_python3 {@code mod_init_function}: module-level function returning the handler
 * @param childInitMethod  app_python3 {@code child_init_method}: handler method called with the worker rank
 * @param replyCallback    core {@code kemi.reply_route_callback}; "none" or empty disables it
 * @param onsendCallback   core {@code kemi.onsend_route_callback}; "none" or empty disables it
 * @param eventCallbacks   module name ("tm" of "tm:local-request") to its {@code event_callback} function
 * @param callLimit        watchdog: a script call using more CPU time is interrupted (default 1000 ms,
 *                         or system property {@code kemi.script.callLimitMs})
 * @param idleContext      Python: context for KSR calls outside a message (mod_init, top level), like
 *                         Kamailio's faked message; null = functions get a null context (logging
 *                         works, message functions fail with ERR). JS always refuses, as app_jsdt
 */
public record ScriptOptions(String modInitFunction, String childInitMethod, String replyCallback,
        String onsendCallback, Map<String, String> eventCallbacks, Duration callLimit, ScriptContext idleContext) {

    public static ScriptOptions defaults() {
        return new ScriptOptions("mod_init", "child_init", "ksr_reply_route", "ksr_onsend_route", Map.of(),
                Duration.ofMillis(Long.getLong("kemi.script.callLimitMs", 1000)), null);
    }

    public ScriptOptions withModInit(String function) {
        return new ScriptOptions(function, childInitMethod, replyCallback, onsendCallback, eventCallbacks, callLimit, idleContext);
    }

    public ScriptOptions withChildInit(String method) {
        return new ScriptOptions(modInitFunction, method, replyCallback, onsendCallback, eventCallbacks, callLimit, idleContext);
    }

    public ScriptOptions withCallbacks(String reply, String onsend) {
        return new ScriptOptions(modInitFunction, childInitMethod, reply, onsend, eventCallbacks, callLimit, idleContext);
    }

    public ScriptOptions withEventCallbacks(Map<String, String> byModule) {
        return new ScriptOptions(modInitFunction, childInitMethod, replyCallback, onsendCallback, Map.copyOf(byModule), callLimit, idleContext);
    }

    public ScriptOptions withCallLimit(Duration limit) {
        return new ScriptOptions(modInitFunction, childInitMethod, replyCallback, onsendCallback, eventCallbacks, limit, idleContext);
    }

    public ScriptOptions withIdleContext(ScriptContext ctx) {
        return new ScriptOptions(modInitFunction, childInitMethod, replyCallback, onsendCallback, eventCallbacks, callLimit, ctx);
    }

    /** The callback name for a module event ("tm:local-request" → modparam tm event_callback), or null. */
    String eventCallback(String event) {
        int colon = event.indexOf(':');
        return eventCallbacks.get(colon < 0 ? event : event.substring(0, colon));
    }

    static boolean enabled(String callback) {
        return callback != null && !callback.isEmpty() && !"none".equals(callback);
    }
}
