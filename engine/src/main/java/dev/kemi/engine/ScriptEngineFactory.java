package dev.kemi.engine;

import dev.kemi.api.RoutingScript;
import dev.kemi.engine.cfg.LoadedConfig;

/**
 * A KEMI routing engine selectable with {@code cfgengine "name"} (Python, JavaScript ...),
 * found through {@link java.util.ServiceLoader}. The native interpreter does not depend on any
 * implementation: it only asks the factories whose name the cfg selects.
 */
public interface ScriptEngineFactory {
    /** The cfgengine name, matched case-insensitively: "python", "jsdt". */
    String name();

    /**
     * The loadmodule name that registers the engine ("app_python3", "app_jsdt"); cfgengine is an
     * error unless that module was loaded before it, as in Kamailio. If the module catalog has no
     * such module, loadmodule still accepts the name and its modparams are only recorded
     * ({@link LoadedConfig#modparams()}) for the factory to read.
     */
    String moduleName();

    /**
     * Loads the script the cfg points at (e.g. {@code modparam("app_python3","load",...)}).
     *
     * @throws dev.kemi.api.ScriptException on a script error, with its file:line
     */
    RoutingScript load(LoadedConfig cfg);
}
