package dev.kemi.api;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one function table: built from module instances by reading their {@link Export}
 * methods. Native cfg resolves by native name and arity, KEMI by module and name.
 */
public final class FunctionTable {
    private final Map<String, Map<String, KemiFunction>> kemi = new LinkedHashMap<>();
    private final Map<String, List<KemiFunction>> natives = new HashMap<>();
    private final List<Object> modules;
    private final java.util.Set<String> loaded = new java.util.HashSet<>();

    private FunctionTable(List<Object> modules) {
        this.modules = List.copyOf(modules);
    }

    public static FunctionTable build(Collection<?> moduleInstances) {
        FunctionTable t = new FunctionTable(new ArrayList<>(moduleInstances));
        for (Object inst : moduleInstances) {
            Module mod = inst.getClass().getAnnotation(Module.class);
            if (mod != null) t.loaded.add(mod.value());
        }
        for (Object inst : moduleInstances) {
            Module mod = inst.getClass().getAnnotation(Module.class);
            if (mod == null) throw new IllegalArgumentException(inst.getClass().getName() + " lacks @Module");
            List<Method> methods = new ArrayList<>();
            for (Method m : inst.getClass().getMethods()) {
                if (m.isAnnotationPresent(Export.class)) methods.add(m);
            }
            // stable order for api_list and error messages
            methods.sort((a, b) -> a.getName().compareTo(b.getName()) != 0
                    ? a.getName().compareTo(b.getName())
                    : Integer.compare(a.getParameterCount(), b.getParameterCount()));
            for (Method m : methods) t.add(new KemiFunction(mod.value(), inst, m));
        }
        return t;
    }

    private void add(KemiFunction f) {
        if (f.inKemi()) {
            KemiFunction old = kemi.computeIfAbsent(f.module(), k -> new LinkedHashMap<>()).putIfAbsent(f.name(), f);
            if (old != null) throw new IllegalArgumentException("duplicate KEMI export " + f.qualifiedName());
        }
        if (f.inNative() && (f.nativeModule().isEmpty() || loaded.contains(f.nativeModule()))) {
            for (String n : f.nativeNames()) {
                List<KemiFunction> list = natives.computeIfAbsent(n, k -> new ArrayList<>());
                KemiFunction shadowed = null;
                for (KemiFunction o : list) {
                    if (o.params().size() == f.params().size()) {
                        // two modules with one name (rtpproxy and rtpengine: start_recording):
                        // the one loaded last is found first, as in Kamailio's module list
                        if (o.module().equals(f.module()) || o.module().isEmpty() || f.module().isEmpty()) {
                            throw new IllegalArgumentException("duplicate native export " + n + "/" + f.params().size());
                        }
                        shadowed = o;
                    }
                }
                list.remove(shadowed);
                list.add(f);
            }
        }
    }

    /** KEMI lookup; module "" is core. Null if absent. */
    public KemiFunction kemi(String module, String name) {
        Map<String, KemiFunction> m = kemi.get(module);
        return m == null ? null : m.get(name);
    }

    /** KEMI functions per sub-object name ("" = core), in a stable order. */
    public Map<String, Map<String, KemiFunction>> kemiModules() {
        return Collections.unmodifiableMap(kemi);
    }

    /** Every arity of a native name; empty if unknown. */
    public List<KemiFunction> natives(String name) {
        return natives.getOrDefault(name, List.of());
    }

    /** Native lookup by name and argument count; null if none matches. */
    public KemiFunction nativeFunction(String name, int argc) {
        for (KemiFunction f : natives(name)) {
            if (f.params().size() == argc) return f;
        }
        return null;
    }

    /** All entries, once each. */
    public List<KemiFunction> all() {
        List<KemiFunction> out = new ArrayList<>();
        for (Map<String, KemiFunction> m : kemi.values()) out.addAll(m.values());
        for (List<KemiFunction> l : natives.values()) {
            for (KemiFunction f : l) if (!f.inKemi() && !out.contains(f)) out.add(f);
        }
        return out;
    }

    /** The module instances the table was built from. */
    public List<Object> modules() {
        return modules;
    }

    /** The loaded instance of a module class, if any. */
    public <T> T module(Class<T> type) {
        for (Object o : modules) if (type.isInstance(o)) return type.cast(o);
        return null;
    }
}
