package dev.kemi.runtime.core;

import dev.kemi.api.FunctionTable;
import dev.kemi.api.RoutingScript;
import java.util.List;

/**
 * What the proxy runs: the cfg globals, the routing script, the function table and the loaded
 * module instances (RuntimeModules are initialised; ReplyHandlers and RequestFinishers
 * registered).
 */
public record ProxyConfig(Globals globals, RoutingScript script, FunctionTable functions, List<Object> modules) {}
