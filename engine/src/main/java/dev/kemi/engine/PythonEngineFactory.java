package dev.kemi.engine;

import dev.kemi.api.RoutingScript;
import dev.kemi.engine.cfg.LoadedConfig;
import dev.kemi.engine.polyglot.PolyglotScripts;
import dev.kemi.engine.polyglot.ScriptOptions;

/** {@code cfgengine "python"}: the app_python3 script on GraalPy. */
public final class PythonEngineFactory implements ScriptEngineFactory {
    private final ScriptOptions base;

    /** For ServiceLoader: Kamailio's defaults. */
    public PythonEngineFactory() {
        this(ScriptOptions.defaults());
    }

    /** With options the cfg does not set (call limit, idle context). */
    public PythonEngineFactory(ScriptOptions base) {
        this.base = base;
    }

    @Override
    public String name() {
        return "python";
    }

    @Override
    public String moduleName() {
        return "app_python3";
    }

    @Override
    public RoutingScript load(LoadedConfig cfg) {
        return PolyglotScripts.python(cfg.functions(), KemiOptions.of(cfg, base));
    }
}
