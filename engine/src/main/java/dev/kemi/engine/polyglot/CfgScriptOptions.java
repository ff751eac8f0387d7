package dev.kemi.engine.polyglot;

import dev.kemi.engine.cfg.LoadedConfig;
import dev.kemi.engine.cfg.ModParam;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Reads the KEMI settings of a kamailio.cfg: core kemi.* callbacks, modules' event_callback, script paths. */
final class CfgScriptOptions {
    private CfgScriptOptions() {}

    static ScriptOptions from(LoadedConfig cfg) {
        ScriptOptions o = ScriptOptions.defaults();
        String reply = cfg.global("kemi.reply_route_callback");
        String onsend = cfg.global("kemi.onsend_route_callback");
        o = o.withCallbacks(reply != null ? reply : o.replyCallback(), onsend != null ? onsend : o.onsendCallback());
        Map<String, String> events = new HashMap<>();
        String core = cfg.global("kemi.event_route_callback");
        if (core != null) events.put("core", core);
        for (ModParam p : cfg.modparams()) {
            if (p.name().equals("event_callback") && p.value() instanceof String s) events.put(p.module(), s);
        }
        return o.withEventCallbacks(events);
    }

    /** A modparam's last string value, or the default. */
    static String param(LoadedConfig cfg, String module, String name, String def) {
        Object v = cfg.modparam(module, name);
        return v == null ? def : v.toString();
    }

    /** A relative script path is taken from the working directory, else from the cfg's directory. */
    static Path resolve(LoadedConfig cfg, String file) {
        Path p = Path.of(file);
        if (p.isAbsolute() || Files.exists(p) || cfg.file() == null || cfg.file().getParent() == null) return p;
        return cfg.file().getParent().resolve(p);
    }
}
