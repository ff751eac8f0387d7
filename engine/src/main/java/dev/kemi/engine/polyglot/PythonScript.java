package dev.kemi.engine.polyglot;

import dev.kemi.api.FunctionTable;
import dev.kemi.api.KemiFunction;
import dev.kemi.api.ScriptContext;
import dev.kemi.api.ScriptException;
import java.nio.file.Path;
import java.util.Map;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * An app_python3 script on GraalPy. The file runs as a module named after its basename, with its
 * directory on sys.path; {@code mod_init()} returns the handler whose methods are the callbacks
 * ({@code ksr_request_route(self, msg)} ...); {@code child_init(rank)} runs once per worker context.
 * Modules next to the script are imported from the loaded version's copy of their text.
 *
 * <p>Deliberate difference: callback return values are ignored and nothing is left pending, so a
 * callback returning None does not poison the next call (Kamailio 5.6.3's TypeError bug, #3274).
 */
public final class PythonScript extends PolyglotScript {
    /** KSR.__version__ as app_python3 sets it. */
    static final int KSR_VERSION = 1002;
    private static final Source GLUE = Glue.load("python", "glue.py");

    private final ScriptSandbox sandbox;

    PythonScript(Path file, FunctionTable table, ScriptOptions options, ScriptSandbox sandbox) {
        super(file, table, options);
        this.sandbox = sandbox;
        String name = this.file.getFileName().toString();
        if (!name.endsWith(".py")) throw new ScriptException(this.file.toString(), 0, 0, "python script name must end in .py");
    }

    @Override
    String language() {
        return "python";
    }

    @Override
    Context newContext() {
        // by default what CPython has under Kamailio; the sandbox modparam takes parts away
        boolean nativeCode = !sandbox.denies(ScriptSandbox.Denied.NATIVE);
        Context.Builder b = Context.newBuilder("python")
                .engine(SharedEngine.get())
                .allowIO(sandbox.denies(ScriptSandbox.Denied.IO) ? IOAccess.NONE : IOAccess.ALL)
                .allowNativeAccess(nativeCode)
                .allowCreateThread(true)
                .allowCreateProcess(!sandbox.denies(ScriptSandbox.Denied.PROCESS))
                .allowEnvironmentAccess(EnvironmentAccess.INHERIT)
                .option("python.DontWriteBytecodeFlag", "true");
        if (!nativeCode) b.option("python.PosixModuleBackend", "java");
        return b.build();
    }

    @Override
    void initWorker(Worker w) {
        Context c = w.context;
        c.eval(GLUE);
        Value bindings = c.getBindings("python");
        PythonMarshaller marshaller = new PythonMarshaller(bindings.getMember("_kemi_raise"));
        ScriptContext idle = options.idleContext(); // may be null: see PythonKsrFunction.outsideMessage
        Value host = bindings.getMember("_KemiHost").execute(KSR_VERSION, new NativeCall(table, w, marshaller, idle));
        Value add = host.getMember("add");
        for (Map.Entry<String, Map<String, KemiFunction>> m : table.kemiModules().entrySet()) {
            if (m.getKey().equals("x")) continue; // KSR.x is the engine's own: only modf in Python
            for (KemiFunction f : m.getValue().values()) {
                add.execute(m.getKey(), f.name(), new PythonKsrFunction(f, w, marshaller, idle));
            }
        }
        String fileName = file.getFileName().toString();
        String moduleName = fileName.substring(0, fileName.length() - 3);
        failIfSet(host.invokeMember("load", file.getParent().toString(), moduleName, file.toString(),
                w.generation.source.getCharacters().toString(), options.modInitFunction(),
                (ProxyExecutable) args -> w.generation.moduleText(args[0].asString())));
        failIfSet(host.invokeMember("child_init", options.childInitMethod(), w.rank));
        w.call = host.getMember("call");
        w.has = host.getMember("has");
        w.where = host.getMember("where");
    }

    /** The glue returns None or (file, line, reason) for errors that are not Python exceptions. */
    private void failIfSet(Value error) {
        if (error.isNull()) return;
        throw new ScriptException(error.getArrayElement(0).asString(), error.getArrayElement(1).asInt(), 0,
                error.getArrayElement(2).asString());
    }
}
