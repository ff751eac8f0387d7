package dev.kemi.engine.polyglot;

import dev.kemi.api.FunctionTable;
import dev.kemi.api.ScriptException;
import java.nio.file.Path;

/**
 * Creates Python and JS routing scripts. Each call loads and initialises the script (mod_init for
 * Python) in a validation context first and throws {@link ScriptException} with file:line if that
 * fails. If the table holds the app_python3 / app_jsdt module, it is bound to the script so its
 * exec/run exports reach it.
 */
public final class PolyglotScripts {
    private PolyglotScripts() {}

    public static PythonScript python(Path file, FunctionTable table, ScriptOptions options) {
        AppPython3Module m = table.module(AppPython3Module.class);
        PythonScript s = new PythonScript(file, table, options, m == null ? ScriptSandbox.NONE : m.sandbox());
        s.start();
        if (m != null) m.bind(s);
        return s;
    }

    public static JsScript js(Path file, FunctionTable table, ScriptOptions options) {
        AppJsdtModule m = table.module(AppJsdtModule.class);
        JsScript s = new JsScript(file, table, options, m == null || m.mode() == 1,
                m == null ? ScriptSandbox.NONE : m.sandbox());
        s.start();
        if (m != null) m.bind(s);
        return s;
    }

    /** {@code cfgengine "python"}: the script and options given by the app_python3 modparams. */
    public static PythonScript python(FunctionTable table, ScriptOptions base) {
        AppPython3Module m = table.module(AppPython3Module.class);
        if (m == null) throw new IllegalStateException("cfgengine \"python\" needs loadmodule \"app_python3.so\"");
        return python(m.script(), table, base.withModInit(m.modInitFunction()).withChildInit(m.childInitMethod()));
    }

    /** {@code cfgengine "jsdt"}: the script given by modparam("app_jsdt", "load", ...). */
    public static JsScript js(FunctionTable table, ScriptOptions base) {
        AppJsdtModule m = table.module(AppJsdtModule.class);
        if (m == null) throw new IllegalStateException("cfgengine \"jsdt\" needs loadmodule \"app_jsdt.so\"");
        return js(m.script(), table, base);
    }
}
