package dev.kemi.engine.polyglot;

import dev.kemi.api.FunctionTable;
import dev.kemi.api.KemiFunction;
import dev.kemi.api.KemiType;
import dev.kemi.api.ScriptContext;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code KSR.x.modf(fname, ...)} and Python's {@code msg.call_function(fname, ...)}: a native cfg
 * function called by name with string arguments (native lookup by name and arity), returning its
 * int code (BOOL true 1 / false -1, NONE 1). Unknown function or bad argument ⇒ -1 and ERR.
 */
final class NativeCall implements ProxyExecutable {
    private static final Logger LOG = LoggerFactory.getLogger(NativeCall.class);

    private final FunctionTable table;
    private final Worker worker;
    private final Marshaller marshaller;
    private final ScriptContext idle;

    /** @param idle context outside a message; null ⇒ such calls fail (JS). */
    NativeCall(FunctionTable table, Worker worker, Marshaller marshaller, ScriptContext idle) {
        this.table = table;
        this.worker = worker;
        this.marshaller = marshaller;
        this.idle = idle;
    }

    @Override
    public Object execute(Value... args) {
        if (args.length == 0) {
            LOG.error("modf: function name missing");
            return -1;
        }
        String fname = marshaller.toStr(args[0], "modf", 0);
        String[] sargs = new String[args.length - 1];
        for (int i = 1; i < args.length; i++) sargs[i - 1] = marshaller.toStr(args[i], "modf", i);
        ScriptContext ctx = worker.current != null ? worker.current : idle;
        if (ctx == null) {
            LOG.error("modf {}: no SIP message in context", fname);
            return -1;
        }
        KemiFunction f = table.nativeFunction(fname, sargs.length);
        if (f == null) {
            LOG.error("modf: function {}/{} not found", fname, sargs.length);
            return -1;
        }
        Object[] converted = new Object[sargs.length];
        for (int i = 0; i < sargs.length; i++) {
            if (f.params().get(i) == KemiType.STR) {
                converted[i] = sargs[i];
            } else {
                try {
                    converted[i] = Integer.parseInt(sargs[i].trim());
                } catch (NumberFormatException e) {
                    LOG.error("modf {}: parameter {} is not an int: '{}'", fname, i + 1, sargs[i]);
                    return -1;
                }
            }
        }
        Object r;
        try {
            r = f.invoke(ctx, converted);
        } catch (NullPointerException | ClassCastException e) {
            if (worker.current != null) throw e;
            LOG.error("modf {}: no SIP message in context", fname);
            return -1;
        }
        return switch (f.returns()) {
            case INT -> r;
            case BOOL -> Boolean.TRUE.equals(r) ? 1 : -1;
            default -> 1;
        };
    }
}
