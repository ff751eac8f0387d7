package dev.kemi.engine.polyglot;

import dev.kemi.api.RoutingScript;
import dev.kemi.api.ScriptException;
import dev.kemi.engine.ScriptEngineFactory;
import dev.kemi.engine.cfg.LoadedConfig;

/** {@code cfgengine "jsdt"} with {@code loadmodule "app_jsdt.so"}. */
public final class JsdtEngineFactory implements ScriptEngineFactory {
    @Override
    public String name() {
        return "jsdt";
    }

    @Override
    public String moduleName() {
        return "app_jsdt";
    }

    @Override
    public RoutingScript load(LoadedConfig cfg) {
        String file = CfgScriptOptions.param(cfg, "app_jsdt", "load", null);
        if (file == null) {
            throw new ScriptException(String.valueOf(cfg.file()), 0, 0, "cfgengine \"jsdt\": modparam(\"app_jsdt\", \"load\", FILE) missing");
        }
        return PolyglotScripts.js(CfgScriptOptions.resolve(cfg, file), cfg.functions(), CfgScriptOptions.from(cfg));
    }
}
