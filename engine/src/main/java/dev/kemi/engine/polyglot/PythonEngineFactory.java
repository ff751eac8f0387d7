package dev.kemi.engine.polyglot;

import dev.kemi.api.RoutingScript;
import dev.kemi.engine.ScriptEngineFactory;
import dev.kemi.engine.cfg.LoadedConfig;

/** {@code cfgengine "python"} with {@code loadmodule "app_python3.so"}. */
public final class PythonEngineFactory implements ScriptEngineFactory {
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
        String file = CfgScriptOptions.param(cfg, "app_python3", "script_name", "/usr/local/etc/kamailio/handler.py");
        file = CfgScriptOptions.param(cfg, "app_python3", "load", file);
        ScriptOptions o = CfgScriptOptions.from(cfg)
                .withModInit(CfgScriptOptions.param(cfg, "app_python3", "mod_init_function", "mod_init"))
                .withChildInit(CfgScriptOptions.param(cfg, "app_python3", "child_init_method", "child_init"));
        return PolyglotScripts.python(CfgScriptOptions.resolve(cfg, file), cfg.functions(), o);
    }
}
