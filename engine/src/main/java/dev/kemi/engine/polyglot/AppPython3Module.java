package dev.kemi.engine.polyglot;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.api.Param;
import dev.kemi.api.ScriptContext;
import java.nio.file.Path;

/**
 * Kamailio's app_python3: its modparams, python_exec / KSR.app_python3.exec*, and the
 * app_python.reload / api_list RPCs' target (the bound script).
 */
@Module(value = "app_python3", loadName = "app_python3")
public final class AppPython3Module {
    private String load = "/usr/local/etc/kamailio/handler.py";
    private String modInit = "mod_init";
    private String childInit = "child_init";
    private ScriptSandbox sandbox = ScriptSandbox.NONE;
    private volatile PythonScript script;

    @Param("load")
    public void load(String file) {
        this.load = file;
    }

    @Param("script_name")
    public void scriptName(String file) {
        this.load = file;
    }

    @Param("mod_init_function")
    public void modInitFunction(String name) {
        this.modInit = name;
    }

    @Param("child_init_method")
    public void childInitMethod(String name) {
        this.childInit = name;
    }

    /** Ours, not Kamailio's: what the script may not do, e.g. "io,native,process" (see {@link ScriptSandbox}). */
    @Param("sandbox")
    public void sandbox(String spec) {
        this.sandbox = ScriptSandbox.parse(spec);
    }

    public ScriptSandbox sandbox() {
        return sandbox;
    }

    public Path script() {
        return Path.of(load);
    }

    public String modInitFunction() {
        return modInit;
    }

    public String childInitMethod() {
        return childInit;
    }

    /** The loaded script (null before cfgengine "python" loaded it). */
    public PythonScript bound() {
        return script;
    }

    void bind(PythonScript s) {
        this.script = s;
    }

    /** Calls handler method {@code method(msg)}: 1 if it ran, -1 if missing or failed. */
    @Export(value = "exec", natives = "python_exec", returns = {1, -1})
    public int exec(ScriptContext ctx, String method) {
        PythonScript s = script;
        return s == null ? -1 : s.exec(method, ctx);
    }

    @Export(value = "execx", kemiOnly = true, returns = {1, -1})
    public int execx(ScriptContext ctx, String method) {
        return exec(ctx, method);
    }

    /** Calls handler method {@code method(msg, param)}. */
    @Export(value = "exec_p1", natives = "python_exec", returns = {1, -1})
    public int execP1(ScriptContext ctx, String method, String param) {
        PythonScript s = script;
        return s == null ? -1 : s.exec(method, ctx, param);
    }
}
