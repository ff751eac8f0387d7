package dev.kemi.engine;

import dev.kemi.api.RoutingScript;
import dev.kemi.engine.cfg.LoadedConfig;
import dev.kemi.engine.polyglot.PolyglotScripts;
import dev.kemi.engine.polyglot.ScriptOptions;

/** {@code cfgengine "jsdt"}: the app_jsdt script on GraalJS. */
public final class JsdtEngineFactory implements ScriptEngineFactory {
    private final ScriptOptions base;

    /** For ServiceLoader: Kamailio's defaults. */
    public JsdtEngineFactory() {
        this(ScriptOptions.defaults());
    }

    /** With options the cfg does not set (call limit, idle context). */
    public JsdtEngineFactory(ScriptOptions base) {
        this.base = base;
    }

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
        return PolyglotScripts.js(cfg.functions(), KemiOptions.of(cfg, base));
    }
}
