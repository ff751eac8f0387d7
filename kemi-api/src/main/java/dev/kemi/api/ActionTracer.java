package dev.kemi.api;

/**
 * Told about every action a native route block runs, before it runs (the debugger module's
 * cfgtrace): a loaded module implementing it is found when the cfg is compiled.
 */
public interface ActionTracer {
    /** Whether to call {@link #trace} at all (checked once per action; keep it cheap). */
    boolean tracing();

    /**
     * @param route the block's name ("DEFAULT_ROUTE" for the main request_route, as Kamailio)
     * @param type Kamailio's action type number (an approximation for our actions)
     * @param action the function or statement name ("t_relay", "if", "assign", "route" ...)
     */
    void trace(ScriptContext ctx, String route, String file, int line, int type, String action);
}
