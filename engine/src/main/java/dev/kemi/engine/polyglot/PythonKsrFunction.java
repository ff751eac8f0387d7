package dev.kemi.engine.polyglot;

import dev.kemi.api.KemiFunction;
import dev.kemi.api.KemiType;
import dev.kemi.api.ScriptContext;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * One KSR function as a Python callable. Strict argument count and types (TypeError in the
 * script); a function without parameters ignores extra arguments, as app_python3 never parses them.
 * Returns: INT int, BOOL bool, NONE 0, XVAL int/str/None.
 */
final class PythonKsrFunction implements ProxyExecutable {
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
        ScriptContext ctx = worker.current != null ? worker.current : idle;
        Object r = function.invoke(ctx, converted);
        return function.returns() == KemiType.NONE ? NONE_RESULT : r;
    }
}
