package dev.kemi.engine;

import dev.kemi.engine.cfg.LoadedConfig;
import dev.kemi.engine.cfg.ModParam;
import dev.kemi.engine.polyglot.ScriptOptions;
import java.util.HashMap;
import java.util.Map;

/** The script options a cfg sets: kemi.*_callback globals and the modules' event_callback modparams. */
final class KemiOptions {
    private KemiOptions() {}

    static ScriptOptions of(LoadedConfig cfg, ScriptOptions base) {
        String reply = cfg.global("kemi.reply_route_callback");
        String onsend = cfg.global("kemi.onsend_route_callback");
        ScriptOptions o = base.withCallbacks(reply != null ? reply : base.replyCallback(),
                onsend != null ? onsend : base.onsendCallback());
        Map<String, String> events = new HashMap<>(base.eventCallbacks());
        for (ModParam p : cfg.modparams()) {
            if (p.name().equals("event_callback") && p.value() instanceof String s) events.put(p.module(), s);
        }
        return o.withEventCallbacks(events);
    }
}
