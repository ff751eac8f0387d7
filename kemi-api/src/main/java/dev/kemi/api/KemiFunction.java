package dev.kemi.api;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of the KSR function table: a module's Java method with its names and types.
 * Arguments are given already converted (Integer for INT, String for STR); the language
 * front-ends do that conversion, once per language.
 */
public final class KemiFunction {
    private final String module;
    private final String name;
    private final List<String> nativeNames;
    private final List<KemiType> params;
    private final Integer[] intFallbacks;
    private final boolean[] leadingPv;
    private final boolean[] pvName;
    private final KemiType returns;
    private final int routes;
    private final boolean kemi;
    private final boolean nativeCallable;
    private final MethodHandle handle; // (ScriptContext, Object[]) -> Object

    KemiFunction(String module, Object instance, Method m) {
        Export ex = m.getAnnotation(Export.class);
        this.module = module;
        this.name = ex.value().isEmpty() ? m.getName() : ex.value();
        this.nativeNames = ex.natives().length == 0 ? List.of(name) : List.of(ex.natives());
        this.kemi = !ex.nativeOnly();
        this.nativeCallable = !ex.kemiOnly();
        this.routes = ex.routes();
        Class<?>[] types = m.getParameterTypes();
        if (types.length == 0 || !ScriptContext.class.isAssignableFrom(types[0])) {
            throw new IllegalArgumentException(where(m) + ": first parameter must be the script context");
        }
        List<KemiType> ps = new ArrayList<>();
        for (int i = 1; i < types.length; i++) {
            if (types[i] == int.class) ps.add(KemiType.INT);
            else if (types[i] == String.class) ps.add(KemiType.STR);
            else throw new IllegalArgumentException(where(m) + ": parameter " + i + " must be int or String");
        }
        this.params = List.copyOf(ps);
        this.intFallbacks = new Integer[ps.size()];
        this.leadingPv = new boolean[ps.size()];
        this.pvName = new boolean[ps.size()];
        java.lang.reflect.Parameter[] declared = m.getParameters();
        for (int i = 1; i < declared.length; i++) {
            IntFallback f = declared[i].getAnnotation(IntFallback.class);
            if (f != null) intFallbacks[i - 1] = f.value();
            leadingPv[i - 1] = declared[i].isAnnotationPresent(LeadingPv.class);
            pvName[i - 1] = declared[i].isAnnotationPresent(PvName.class);
        }
        Class<?> r = m.getReturnType();
        if (r == int.class) returns = KemiType.INT;
        else if (r == boolean.class) returns = KemiType.BOOL;
        else if (r == void.class) returns = KemiType.NONE;
        else if (r == Object.class) returns = KemiType.XVAL;
        else throw new IllegalArgumentException(where(m) + ": return type must be int, boolean, void or Object");
        try {
            if (!Modifier.isPublic(m.getDeclaringClass().getModifiers())) m.setAccessible(true);
            MethodHandle h = MethodHandles.publicLookup().unreflect(m).bindTo(instance);
            if (returns == KemiType.NONE) h = MethodHandles.filterReturnValue(h, MethodHandles.constant(Object.class, null));
            h = h.asType(h.type().changeReturnType(Object.class).changeParameterType(0, ScriptContext.class));
            this.handle = h.asSpreader(Object[].class, params.size())
                    .asType(MethodType.methodType(Object.class, ScriptContext.class, Object[].class));
        } catch (IllegalAccessException e) {
            throw new IllegalArgumentException(where(m) + ": not accessible", e);
        }
    }

    private static String where(Method m) {
        return m.getDeclaringClass().getName() + "." + m.getName();
    }

    /**
     * Calls the function. Returns Integer (INT), Boolean (BOOL), null (NONE), or
     * Integer/String/null (XVAL). A ClassCastException means the context is of the wrong type.
     */
    public Object invoke(ScriptContext ctx, Object... args) {
        try {
            return handle.invokeExact(ctx, args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** KEMI sub-object: "" for core (KSR.name), "tm" for KSR.tm.name. */
    public String module() { return module; }

    /** KEMI name. */
    public String name() { return name; }

    /** Native cfg names: canonical first, then aliases. */
    public List<String> nativeNames() { return nativeNames; }

    public List<KemiType> params() { return params; }

    public KemiType returns() { return returns; }

    /** {@link IntFallback} of parameter i (0 = first after the context), or null. */
    public Integer intFallback(int i) { return intFallbacks[i]; }

    /** Whether parameter i is {@link LeadingPv}. */
    public boolean leadingPv(int i) { return leadingPv[i]; }

    /** Whether parameter i is {@link PvName}. */
    public boolean pvName(int i) { return pvName[i]; }

    public int routes() { return routes; }

    public boolean inKemi() { return kemi; }

    public boolean inNative() { return nativeCallable; }

    /** "KSR.tm.t_relay" style name for messages. */
    public String qualifiedName() {
        return module.isEmpty() ? "KSR." + name : "KSR." + module + "." + name;
    }

    /** Comma list of parameter type names, as {@code *.api_list} prints them. */
    public String paramList() {
        StringBuilder b = new StringBuilder();
        for (KemiType t : params) {
            if (!b.isEmpty()) b.append(", ");
            b.append(t == KemiType.STR ? "str" : t.apiName());
        }
        return b.isEmpty() ? "none" : b.toString();
    }
}
