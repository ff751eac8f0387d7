package dev.kemi.engine.cfg;

import dev.kemi.api.ActionTracer;

import dev.kemi.api.ScriptContext;

/** State of one execution of a top-level route: control flags, $rc, recursion depth. */
final class Run {
    static final int EXIT = 1;
    static final int RETURN = 2;
    static final int BREAK = 4;

    final ScriptContext ctx;
    final Limits limits;
    int flags;
    /** $rc / $retcode / $? */
    int rc;
    int depth;
    /** The debugger's cfgtrace, or null. */
    ActionTracer tracer;
    /** Name of the block running (cfgtrace's request_route=[NAME]). */
    String route = "";

    record Limits(int maxWhileLoops, int maxDepth) {}

    Run(ScriptContext ctx, Limits limits) {
        this.ctx = ctx;
        this.limits = limits;
    }
}
