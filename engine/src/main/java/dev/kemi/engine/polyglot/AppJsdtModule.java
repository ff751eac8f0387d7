package dev.kemi.engine.polyglot;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.api.Param;
import dev.kemi.api.ScriptContext;
import java.nio.file.Path;

/** Kamailio's app_jsdt: its modparams, jsdt_run / KSR.app_jsdt.run*, and the reload RPC's target. */
@Module(value = "app_jsdt", loadName = "app_jsdt")
public final class AppJsdtModule {
    private String load;
    private int mode = 1;
    private ScriptSandbox sandbox = ScriptSandbox.NONE;
    private volatile JsScript script;

    @Param("load")
    public void load(String file) {
        this.load = file;
    }

    /** Kamailio: 1 (default) = scripts get the Node-style require() of app_jsdt; 0 = no require. */
    @Param("mode")
    public void mode(int mode) {
        this.mode = mode;
    }

    public int mode() {
        return mode;
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
        if (load == null) throw new IllegalStateException("modparam(\"app_jsdt\", \"load\", ...) missing");
        return Path.of(load);
    }

    /** The loaded script (null before cfgengine "jsdt" loaded it). */
    public JsScript bound() {
        return script;
    }

    void bind(JsScript s) {
        this.script = s;
    }

    @Export(value = "run", natives = "jsdt_run", returns = {1, -1})
    public int run(ScriptContext ctx, String function) {
        return call(ctx, function);
    }

    @Export(value = "run_p1", natives = "jsdt_run", returns = {1, -1})
    public int runP1(ScriptContext ctx, String function, String p1) {
        return call(ctx, function, p1);
    }

    @Export(value = "run_p2", natives = "jsdt_run", returns = {1, -1})
    public int runP2(ScriptContext ctx, String function, String p1, String p2) {
        return call(ctx, function, p1, p2);
    }

    @Export(value = "run_p3", natives = "jsdt_run", returns = {1, -1})
    public int runP3(ScriptContext ctx, String function, String p1, String p2, String p3) {
        return call(ctx, function, p1, p2, p3);
    }

    private int call(ScriptContext ctx, String function, String... params) {
        JsScript s = script;
        return s == null ? -1 : s.exec(function, ctx, params);
    }
}
