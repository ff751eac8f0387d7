package dev.kemi.engine.cfg;

import dev.kemi.api.FunctionTable;
import dev.kemi.api.PvProvider;
import java.util.List;

/** Compiles the route blocks into executable nodes (first version: empty bodies). */
final class RouteCompiler {
    private final List<RouteBlock> blocks;
    private final Run.Limits limits;

    RouteCompiler(List<Token> toks, List<RouteBlock> blocks, FunctionTable functions, PvProvider pvs,
                  int maxWhileLoops, int maxDepth, List<String> warnings) {
        this.blocks = blocks;
        this.limits = new Run.Limits(maxWhileLoops, maxDepth);
    }

    NativeScript compile() {
        return new NativeScript(new RouteSet(blocks), limits);
    }
}
