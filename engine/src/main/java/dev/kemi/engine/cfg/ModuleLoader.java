package dev.kemi.engine.cfg;

import dev.kemi.api.Module;
import dev.kemi.api.ModuleCatalog;
import dev.kemi.api.Param;
import dev.kemi.api.ScriptException;
import dev.kemi.engine.ScriptEngineFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Applies loadmodule and modparam: creates module instances and calls their @Param setters. */
final class ModuleLoader {
    private final ModuleCatalog catalog;
    private final List<ScriptEngineFactory> engines;
    private final Map<String, Object> loaded = new LinkedHashMap<>(); // load name -> instance
    private final Set<String> engineModules = new java.util.HashSet<>(); // loaded without an instance

    ModuleLoader(ModuleCatalog catalog, List<ScriptEngineFactory> engines) {
        this.catalog = catalog;
        this.engines = engines;
    }

    /** "tm.so", "tm", "/usr/lib/x86_64-linux-gnu/kamailio/modules/tm.so" -> "tm". */
    static String loadName(String path) {
        String n = path.substring(path.lastIndexOf('/') + 1);
        return n.endsWith(".so") ? n.substring(0, n.length() - 3) : n;
    }

    void load(Token t) {
        String name = loadName(t.text());
        if (loaded.containsKey(name) || engineModules.contains(name)) return; // Kamailio ignores a repeated loadmodule
        var inst = catalog.create(name);
        if (inst.isPresent()) {
            if (inst.get().getClass().getAnnotation(Module.class) == null) {
                throw TopLevelParser.error(t, "module '" + name + "' is not a @Module class");
            }
            loaded.put(name, inst.get());
            return;
        }
        for (ScriptEngineFactory f : engines) {
            if (f.moduleName().equals(name)) {
                engineModules.add(name);
                return;
            }
        }
        throw TopLevelParser.error(t, "could not find module <" + name + "> (loadmodule \"" + t.text() + "\")");
    }

    /** Whether one of the given loadmodule lines loaded the module. */
    static boolean loadedBy(List<Token> loadModules, String name) {
        for (Token t : loadModules) if (loadName(t.text()).equals(name)) return true;
        return false;
    }

    List<Object> instances() {
        return new ArrayList<>(loaded.values());
    }

    /**
     * Applies a modparam. The module name may be a regular expression ("nathelper|registrar"):
     * every loaded module it matches that has the parameter gets it, as Kamailio's
     * set_mod_param_regex does.
     */
    ModParam modparam(TopLevelParser.ModParamDecl d) {
        Token mt = d.module();
        String mod = mt.text();
        ModParam rec = new ModParam(mod, d.param().text(), d.value(), mt.file(), mt.line());
        if (engineModules.contains(mod)) return rec; // checked by the engine factory
        Object inst = loaded.get(mod);
        if (inst != null) {
            if (!set(inst, mod, d)) {
                throw TopLevelParser.error(d.param(), "module '" + mod + "' has no parameter '" + d.param().text() + "'");
            }
            return rec;
        }
        if (!REGEX_CHARS.matcher(mod).find()) {
            throw TopLevelParser.error(mt, "modparam for module '" + mod + "' which is not loaded");
        }
        Pattern re;
        try {
            re = Pattern.compile("^(" + mod + ")$", Pattern.CASE_INSENSITIVE);
        } catch (PatternSyntaxException e) {
            throw TopLevelParser.error(mt, "bad module name pattern '" + mod + "': " + e.getDescription());
        }
        boolean any = false;
        for (Map.Entry<String, Object> e : loaded.entrySet()) {
            if (re.matcher(e.getKey()).matches()) any |= set(e.getValue(), e.getKey(), d);
        }
        if (!any) {
            throw TopLevelParser.error(mt, "no loaded module matching '" + mod + "' has parameter '" + d.param().text() + "'");
        }
        return rec;
    }

    private static final Pattern REGEX_CHARS = Pattern.compile("[|*+?.\\[\\](){}^$]");

    /** Calls the module's @Param setter; false if it has no such parameter. */
    private static boolean set(Object inst, String mod, TopLevelParser.ModParamDecl d) {
        String pname = d.param().text();
        Method setter = null;
        boolean nameFound = false;
        for (Method m : inst.getClass().getMethods()) {
            Param p = m.getAnnotation(Param.class);
            if (p == null || !p.value().equals(pname) || m.getParameterCount() != 1) continue;
            nameFound = true;
            Class<?> pt = m.getParameterTypes()[0];
            if ((d.value() instanceof Integer && pt == int.class) || (d.value() instanceof String && pt == String.class)) {
                setter = m;
            }
        }
        if (!nameFound) return false;
        if (setter == null) {
            String want = d.value() instanceof Integer ? "a string" : "an integer";
            throw TopLevelParser.error(d.valueToken(), "parameter '" + pname + "' of module '" + mod + "' needs " + want);
        }
        Token mt = d.module();
        try {
            setter.invoke(inst, d.value());
        } catch (InvocationTargetException e) {
            Throwable c = e.getCause();
            throw new ScriptException(mt.file(), mt.line(), mt.col(),
                    "modparam(\"" + mod + "\", \"" + pname + "\"): " + c.getMessage(), c);
        } catch (IllegalAccessException e) {
            throw new ScriptException(mt.file(), mt.line(), mt.col(), "modparam setter not accessible: " + setter, e);
        }
        return true;
    }
}
