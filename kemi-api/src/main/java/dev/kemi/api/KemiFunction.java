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
    private final boolean[] intLiteral;
    private final KemiType returns;
    private final int routes;
    private final List<Integer> returnCodes;
    private final boolean intValue;
    private final boolean kemi;
    private final boolean nativeCallable;
    private final String nativeModule;
    private final MethodHandle handle; // (ScriptContext, Object[]) -> Object

    KemiFunction(String module, Object instance, Method m) {
        Export ex = m.getAnnotation(Export.class);
        this.module = module;
        if (ex.nativeOnly() && ex.kemiOnly()) throw new IllegalArgumentException(where(m) + ": nativeOnly and kemiOnly");
        // a native-only overload has no KSR name: it is known by its native name
        String kemiName = ex.value().isEmpty() ? m.getName() : ex.value();
        this.name = ex.nativeOnly() && ex.natives().length > 0 ? ex.natives()[0] : kemiName;
        this.nativeNames = ex.natives().length == 0 ? List.of(kemiName) : List.of(ex.natives());
        this.kemi = !ex.nativeOnly();
        this.nativeCallable = !ex.kemiOnly();
        this.nativeModule = ex.nativeModule();
        this.routes = ex.routes();
        List<Integer> codes = new ArrayList<>();
        for (int c : ex.returns()) codes.add(c);
        this.returnCodes = List.copyOf(codes);
        this.intValue = ex.intValue();
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
        this.intLiteral = new boolean[ps.size()];
        java.lang.reflect.Parameter[] declared = m.getParameters();
        for (int i = 1; i < declared.length; i++) {
            IntFallback f = declared[i].getAnnotation(IntFallback.class);
            if (f != null) intFallbacks[i - 1] = f.value();
            leadingPv[i - 1] = declared[i].isAnnotationPresent(LeadingPv.class);
            pvName[i - 1] = declared[i].isAnnotationPresent(PvName.class);
            intLiteral[i - 1] = declared[i].isAnnotationPresent(IntLiteral.class);
            if (intLiteral[i - 1] && ps.get(i - 1) != KemiType.INT) throw new IllegalArgumentException(where(m) + ": @IntLiteral on a String parameter");
        }
        Class<?> r = m.getReturnType();
        if (r == int.class) returns = KemiType.INT;
        else if (r == boolean.class) returns = KemiType.BOOL;
        else if (r == void.class) returns = KemiType.NONE;
        else if (r == Object.class) returns = KemiType.XVAL;
        else throw new IllegalArgumentException(where(m) + ": return type must be int, boolean, void or Object");
        if ((!returnCodes.isEmpty() || intValue) && returns != KemiType.INT) {
            throw new IllegalArgumentException(where(m) + ": returns = {...} and intValue are for int functions");
        }
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

    /** The module that must be loaded for the native names to exist ({@link Export#nativeModule}); "" = its own. */
    public String nativeModule() { return nativeModule; }

    public List<KemiType> params() { return params; }

    public KemiType returns() { return returns; }

    /** {@link IntFallback} of parameter i (0 = first after the context), or null. */
    public Integer intFallback(int i) { return intFallbacks[i]; }

    /** Whether parameter i is {@link LeadingPv}. */
    public boolean leadingPv(int i) { return leadingPv[i]; }

    /** Whether parameter i is {@link PvName}. */
    public boolean pvName(int i) { return pvName[i]; }

    /** Whether parameter i is {@link IntLiteral}: native cfg takes a number literal only. */
    public boolean intLiteral(int i) { return intLiteral[i]; }

    /** Route-type flags where native cfg may call it ({@link RouteType}). */
    public int routes() { return routes; }

    /** Declared return codes ({@link Export#returns}); empty = not declared. */
    public List<Integer> returnCodes() { return returnCodes; }

    /** Whether the int result is a value rather than a return code ({@link Export#intValue}). */
    public boolean intValue() { return intValue; }

    /** Whether the return codes are declared (or the result is a value): every INT export should. */
    public boolean returnsDeclared() { return returns != KemiType.INT || intValue || !returnCodes.isEmpty(); }

    /** An INT function that may return 0 as a code (ends a native script, not a KEMI one); undeclared counts as no. */
    public boolean mayReturnZero() { return !intValue && returnCodes.contains(0); }

    /** An INT function that may return a negative code (false in native cfg, truthy in Python/JS); undeclared counts as yes. */
    public boolean mayReturnNegative() {
        if (returns != KemiType.INT) return false;
        if (intValue) return returnCodes.stream().anyMatch(c -> c < 0);
        return returnCodes.isEmpty() || returnCodes.stream().anyMatch(c -> c < 0);
    }

    public boolean inKemi() { return kemi; }

    public boolean inNative() { return nativeCallable; }

    /** "KSR.tm.t_relay" style name for messages. */
    public String qualifiedName() {
        return module.isEmpty() ? "KSR." + name : "KSR." + module + "." + name;
    }

    /**
     * The KEMI signature as Kamailio's export lists write it: {@code tm.t_relay() -> int},
     * {@code KSR.dbg(str) -> none} for the core.
     */
    public String kemiSignature() {
        StringBuilder b = new StringBuilder(module.isEmpty() ? "KSR." : module + ".").append(name).append('(');
        for (int i = 0; i < params.size(); i++) {
            if (i > 0) b.append(", ");
            b.append(params.get(i) == KemiType.STR ? "str" : params.get(i).apiName());
        }
        return b.append(") -> ").append(returns.apiName()).toString();
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
