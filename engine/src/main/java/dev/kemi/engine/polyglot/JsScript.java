package dev.kemi.engine.polyglot;

import dev.kemi.api.FunctionTable;
import dev.kemi.api.KemiFunction;
import java.nio.file.Path;
import java.util.Map;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * An app_jsdt script on GraalJS (ECMAScript 2024, any size: no 128 KiB cut). The file's top level
 * runs once per worker context; callbacks are global functions ({@code ksr_request_route()} ...,
 * event callbacks get the event name). {@code KSR.x.exit()}/{@code drop()} throw Kamailio's
 * marker, so a user try/catch around them swallows the exit exactly as in Kamailio. With
 * {@code require()} (app_jsdt mode 1, the default) helper modules are read when a context loads
 * the script, so a reload reloads them too (Kamailio keeps its cached copies across a reload).
 */
public final class JsScript extends PolyglotScript {
    private static final Source GLUE = Glue.load("js", "glue.js");

    /** app_jsdt modparam mode 1: scripts get Kamailio's require(). */
    private final boolean require;

    private final ScriptSandbox sandbox;

    /** GraalJS never has native access or processes: of the sandbox only "io" changes anything. */
    JsScript(Path file, FunctionTable table, ScriptOptions options, boolean require, ScriptSandbox sandbox) {
        super(file, table, options);
        this.require = require;
        this.sandbox = sandbox;
    }

    @Override
    String language() {
        return "js";
    }

    @Override
    Context newContext() {
        return Context.newBuilder("js")
                .engine(SharedEngine.get())
                .allowIO(sandbox.denies(ScriptSandbox.Denied.IO) ? IOAccess.NONE : IOAccess.ALL)
                .option("js.ecmascript-version", "2024")
                .build();
    }

    @Override
    void initWorker(Worker w) {
        Context c = w.context;
        ProxyExecutable setDrop = args -> {
            if (w.current != null) w.current.setDrop();
            return null;
        };
        Value glue;
        if (require) {
            JsModuleLoader loader = new JsModuleLoader(file, c, w.generation);
            ProxyExecutable resolve = args -> loader.resolve(args[0].asString(), args[1].asString());
            ProxyExecutable load = args -> loader.load(args[0].asString());
            glue = c.eval(GLUE).execute(setDrop, resolve, load);
        } else {
            glue = c.eval(GLUE).execute(setDrop, null, null);
        }
        JsMarshaller marshaller = new JsMarshaller(glue.getMember("toStr"), glue.getMember("toInt"));
        Value rangeError = glue.getMember("rangeError");
        Value add = glue.getMember("add");
        add.execute("x", "modf", new NativeCall(table, w, marshaller, null));
        for (Map.Entry<String, Map<String, KemiFunction>> m : table.kemiModules().entrySet()) {
            if (m.getKey().equals("x")) continue; // KSR.x is the engine's own: exit, drop, modf
            for (KemiFunction f : m.getValue().values()) {
                add.execute(m.getKey(), f.name(), new JsKsrFunction(f, w, marshaller, rangeError));
            }
        }
        c.eval(w.generation.source);
        w.call = glue.getMember("call");
        w.has = glue.getMember("has");
        w.where = glue.getMember("where");
    }
}
