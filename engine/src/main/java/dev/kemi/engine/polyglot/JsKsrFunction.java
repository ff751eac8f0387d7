package dev.kemi.engine.polyglot;

import dev.kemi.api.KemiFunction;
import dev.kemi.api.KemiType;
import dev.kemi.api.ScriptContext;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One KSR function as a JS function, with app_jsdt's rules: coercive conversion; no argument to
 * a function that has parameters, more than 6 arguments, or any argument to a parameterless
 * function ⇒ false without calling it; too few (but some) ⇒ RangeError; extra ones ignored.
 * Returns: INT number, BOOL boolean, NONE false, XVAL number/string/null/array/object.
 */
final class JsKsrFunction implements ProxyExecutable {
    private static final Logger LOG = LoggerFactory.getLogger(JsKsrFunction.class);
    private static final Object[] NO_ARGS = {};
    private static final int MAX_ARGS = 6;

    private final KemiFunction function;
    private final KemiType[] params;
    private final String name;
    private final Worker worker;
    private final JsMarshaller marshaller;
    private final Value rangeError;

    JsKsrFunction(KemiFunction function, Worker worker, JsMarshaller marshaller, Value rangeError) {
        this.function = function;
        this.params = function.params().toArray(KemiType[]::new);
        this.name = function.qualifiedName();
        this.worker = worker;
        this.marshaller = marshaller;
        this.rangeError = rangeError;
    }

    @Override
    public Object execute(Value... args) {
        ScriptContext ctx = worker.current;
        if (ctx == null) {
            LOG.error("{}: no SIP message in context (called outside a route callback)", name);
            return false;
        }
        int n = params.length;
        Object[] converted = NO_ARGS;
        if (n == 0) {
            if (args.length > 0) {
                LOG.error("{}: invalid parameters (takes none, {} given)", name, args.length);
                return false;
            }
        } else {
            if (args.length == 0 || args.length > MAX_ARGS) {
                LOG.error("{}: invalid number of parameters ({} given, {} expected)", name, args.length, n);
                return false;
            }
            if (args.length < n) {
                rangeError.execute("invalid stack index " + args.length + " in " + name + "()");
                throw new IllegalStateException("RangeError not thrown");
            }
            converted = new Object[n];
            for (int i = 0; i < n; i++) {
                converted[i] = params[i] == KemiType.STR ? marshaller.toStr(args[i], name, i) : (Object) marshaller.toInt(args[i], name, i);
            }
        }
        Object r = function.invoke(ctx, converted);
        return function.returns() == KemiType.NONE ? Boolean.FALSE : guest(r);
    }

    /** app_jsdt pushes array xvals as JS arrays and dict xvals as objects. */
    private static Object guest(Object r) {
        if (r instanceof java.util.List<?> l) {
            Object[] items = new Object[l.size()];
            for (int i = 0; i < items.length; i++) items[i] = guest(l.get(i));
            return org.graalvm.polyglot.proxy.ProxyArray.fromArray(items);
        }
        if (r instanceof java.util.Map<?, ?> m) {
            java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
            for (var e : m.entrySet()) out.put(e.getKey().toString(), guest(e.getValue()));
            return org.graalvm.polyglot.proxy.ProxyObject.fromMap(out);
        }
        return r;
    }
}
