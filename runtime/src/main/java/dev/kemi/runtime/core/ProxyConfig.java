package dev.kemi.runtime.core;

import dev.kemi.api.FunctionTable;
import dev.kemi.api.RoutingScript;
import java.util.List;

/**
 * What the proxy runs: the cfg globals, the routing script, the function table and the loaded
 * module instances (RuntimeModules are initialised; ReplyHandlers and RequestFinishers
 * registered).
 */
public record ProxyConfig(Globals globals, RoutingScript script, FunctionTable functions, List<Object> modules,
                          java.util.Map<String, String> defines) {
    /** Without #!define values (a proxy built in code). */
    public ProxyConfig(Globals globals, RoutingScript script, FunctionTable functions, List<Object> modules) {
        this(globals, script, functions, modules, java.util.Map.of());
    }
}
