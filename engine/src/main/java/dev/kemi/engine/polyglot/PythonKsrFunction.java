package dev.kemi.engine.polyglot;

import dev.kemi.api.KemiFunction;
import dev.kemi.api.KemiType;
import dev.kemi.api.ScriptContext;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One KSR function as a Python callable. Strict argument count and types (TypeError in the
 * script); a function without parameters ignores extra arguments, as app_python3 never parses them.
 * Returns: INT int, BOOL bool, NONE 0, XVAL int/str/None.
 */
final class PythonKsrFunction implements ProxyExecutable {
    private static final Logger LOG = LoggerFactory.getLogger(PythonKsrFunction.class);
    private static final Object[] NO_ARGS = {};
    private static final Integer NONE_RESULT = 0;

    private final KemiFunction function;
    private final KemiType[] params;
    private final String name;
    private final Worker worker;
    private final PythonMarshaller marshaller;
    private final ScriptContext idle;

    PythonKsrFunction(KemiFunction function, Worker worker, PythonMarshaller marshaller, ScriptContext idle) {
        this.function = function;
        this.params = function.params().toArray(KemiType[]::new);
        this.name = function.qualifiedName();
        this.worker = worker;
        this.marshaller = marshaller;
        this.idle = idle;
    }

    @Override
    public Object execute(Value... args) {
        Object[] converted = NO_ARGS;
        int n = params.length;
        if (n > 0) {
            if (args.length != n) {
                throw marshaller.raise("TypeError", name + "() takes exactly " + n + " argument" + (n == 1 ? "" : "s")
                        + " (" + args.length + " given)");
            }
            converted = new Object[n];
            for (int i = 0; i < n; i++) {
                converted[i] = params[i] == KemiType.STR ? marshaller.toStr(args[i], name, i) : (Object) marshaller.toInt(args[i], name, i);
            }
        }
        ScriptContext ctx = worker.current;
        Object r = ctx != null ? function.invoke(ctx, converted) : outsideMessage(converted);
        if (function.returns() == KemiType.NONE) return NONE_RESULT;
        // app_python3 5.6.3 has no array/dict return: "unsupported return type", None
        if (r instanceof java.util.Map<?, ?> || r instanceof java.util.List<?>) {
            LOG.error("{}: unsupported return type: {}", name, r instanceof java.util.Map<?, ?> ? "map" : "array");
            return null;
        }
        return r;
    }

    /**
     * mod_init / top level: Kamailio runs these on a faked message. Without one from the runtime
     * (ScriptOptions.idleContext) functions that don't need the message (logging) still work;
     * the others fail like a Kamailio function without a message: ERR and a failure value.
     */
    private Object outsideMessage(Object[] converted) {
        try {
            return function.invoke(idle, converted);
        } catch (NullPointerException | ClassCastException e) {
            LOG.error("{}: no SIP message in context (called outside a route callback)", name);
            return switch (function.returns()) {
                case INT -> -1;
                case BOOL -> Boolean.FALSE;
                default -> null;
            };
        }
    }
}
