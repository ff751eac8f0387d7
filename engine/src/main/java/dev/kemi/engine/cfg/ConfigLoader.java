package dev.kemi.engine.cfg;

import dev.kemi.api.ActionTracer;
import dev.kemi.api.CfgDeclarations;
import dev.kemi.api.FunctionTable;
import dev.kemi.api.ModuleCatalog;
import dev.kemi.api.PvProvider;
import dev.kemi.api.RoutingScript;
import dev.kemi.api.ScriptException;
import dev.kemi.engine.ScriptEngineFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.Set;

/** Loads a kamailio.cfg: preprocess, read the top level, load modules, compile the routes. */
public final class ConfigLoader {
    private ConfigLoader() {}

    /**
     * @param defines names from {@code -A NAME} (or {@code NAME=value})
     * @throws ScriptException on the first error, with file:line[:col]
     */
    public static LoadedConfig load(Path cfg, Set<String> defines, ModuleCatalog catalog, PvProvider pvs) {
        List<ScriptEngineFactory> engines = new ArrayList<>();
        ServiceLoader.load(ScriptEngineFactory.class).forEach(engines::add);
        return load(cfg, defines, catalog, pvs, engines);
    }

    /** As {@link #load(Path, Set, ModuleCatalog, PvProvider)} with explicit engine factories. */
    public static LoadedConfig load(Path cfg, Set<String> defines, ModuleCatalog catalog, PvProvider pvs,
                                    List<ScriptEngineFactory> engines) {
        Preprocessor pp = new Preprocessor(defines);
        List<Token> toks = pp.run(cfg);
        TopLevelParser.Result top = new TopLevelParser(toks).parse();

        ModuleLoader ml = new ModuleLoader(catalog, engines);
        ScriptEngineFactory engine = null;
        for (Token t : top.loadModules) ml.load(t);
        if (top.cfgEngine != null) engine = engine(top.cfgEngine, engines, top.loadModules.subList(0, top.modulesBeforeCfgEngine));
        List<ModParam> modparams = new ArrayList<>();
        for (TopLevelParser.ModParamDecl d : top.modparams) modparams.add(ml.modparam(d));

        List<Object> all = new ArrayList<>(catalog.builtins());
        all.addAll(ml.instances());
        FunctionTable functions;
        try {
            functions = FunctionTable.build(all);
        } catch (IllegalArgumentException e) {
            throw new ScriptException(cfg.toString(), 0, 0, "bad module exports: " + e.getMessage(), e);
        }

        declareCfgVars(top.cfgVars, all);

        List<String> warnings = new ArrayList<>();
        int maxWhile = intGlobal(top.globals, "max_while_loops", 100);
        int maxDepth = intGlobal(top.globals, "max_recursive_level", 256);
        NativeScript nat = new RouteCompiler(toks, top.blocks, functions, pvs, maxWhile, maxDepth, warnings).compile();
        for (Object m : all) if (m instanceof ActionTracer t) nat.tracer(t);

        String engineName = engine == null ? "native" : engine.name().toLowerCase(Locale.ROOT);
        LoadedConfig lc = new LoadedConfig(cfg, top.globals, modparams, ml.instances(), functions, engineName, nat, warnings);
        lc.defines(pp.defineValues());
        if (engine == null) {
            lc.script(nat);
        } else {
            RoutingScript kemi;
            try {
                kemi = engine.load(lc);
            } catch (ScriptException e) {
                throw e;
            } catch (RuntimeException e) {
                Token t = top.cfgEngine;
                throw new ScriptException(t.file(), t.line(), t.col(), "cfgengine \"" + t.text() + "\": " + e.getMessage(), e);
            }
            lc.script(new MixedScript(nat, kemi));
        }
        return lc;
    }

    /** The engine cfgengine names; its module must be loaded above the cfgengine line. */
    private static ScriptEngineFactory engine(Token t, List<ScriptEngineFactory> engines, List<Token> loadedBefore) {
        String name = t.text().toLowerCase(Locale.ROOT);
        if (name.equals("native") || name.equals("default")) return null;
        for (ScriptEngineFactory f : engines) {
            if (f.name().equalsIgnoreCase(name) && ModuleLoader.loadedBy(loadedBefore, f.moduleName())) return f;
        }
        throw TopLevelParser.error(t, "Can't set config routing engine '" + t.text() + "' (unknown engine or its module not loaded)");
    }

    /** Hands the custom cfg variables to the cfg framework (a builtin); none without one is an error. */
    private static void declareCfgVars(List<TopLevelParser.CfgVarDecl> vars, List<Object> modules) {
        if (vars.isEmpty()) return;
        CfgDeclarations cfg = null;
        for (Object m : modules) if (m instanceof CfgDeclarations c) cfg = c;
        for (TopLevelParser.CfgVarDecl v : vars) {
            if (cfg == null) throw TopLevelParser.error(v.at(), "cfg variables are not supported by this runtime");
            try {
                cfg.declare(v.group(), v.name(), v.value(), v.description());
            } catch (IllegalArgumentException e) {
                throw TopLevelParser.error(v.at(), e.getMessage());
            }
        }
    }

    private static int intGlobal(List<GlobalParam> globals, String name, int def) {
        int v = def;
        for (GlobalParam g : globals) {
            if (g.name().equals(name)) v = CoreParams.bool(g.value()); // validated as INT when read
        }
        return v;
    }
}
