package dev.kemi.engine.cfg;

import dev.kemi.api.FunctionTable;
import dev.kemi.api.RoutingScript;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A loaded kamailio.cfg: global parameters, modules, the function table and the routing script. */
public final class LoadedConfig {
    private final Path file;
    private final List<GlobalParam> globals;
    private final List<ModParam> modparams;
    private final List<Object> modules;
    private final FunctionTable functions;
    private final String cfgEngine;
    private final NativeScript nativeScript;
    private final List<String> warnings;
    private RoutingScript script;
    private java.util.Map<String, String> defines = java.util.Map.of();

    LoadedConfig(Path file, List<GlobalParam> globals, List<ModParam> modparams, List<Object> modules,
                 FunctionTable functions, String cfgEngine, NativeScript nativeScript, List<String> warnings) {
        this.file = file;
        this.globals = List.copyOf(globals);
        this.modparams = List.copyOf(modparams);
        this.modules = List.copyOf(modules);
        this.functions = functions;
        this.cfgEngine = cfgEngine;
        this.nativeScript = nativeScript;
        this.warnings = List.copyOf(warnings);
    }

    void defines(java.util.Map<String, String> values) {
        defines = java.util.Map.copyOf(values);
    }

    /** The cfg's #!define names once read, to their values as written ("" for none). */
    public java.util.Map<String, String> defines() {
        return defines;
    }

    public Path file() {
        return file;
    }

    /** Every name=value line, in file order. */
    public List<GlobalParam> globals() {
        return globals;
    }

    /** The last value given to a global parameter, or null. */
    public String global(String name) {
        String v = null;
        for (GlobalParam g : globals) if (g.name().equals(name)) v = g.value();
        return v;
    }

    /** Every value of a repeatable parameter (listen, alias), in order. */
    public List<String> globalAll(String name) {
        List<String> out = new ArrayList<>();
        for (GlobalParam g : globals) if (g.name().equals(name)) out.add(g.value());
        return out;
    }

    public int globalInt(String name, int def) {
        String v = global(name);
        if (v == null) return def;
        Integer i = CoreParams.bool(v);
        return i == null ? def : i;
    }

    /** yes/on/true/non-zero = true. */
    public boolean globalBool(String name, boolean def) {
        String v = global(name);
        if (v == null) return def;
        Integer i = CoreParams.bool(v);
        return i == null ? def : i != 0;
    }

    /**
     * The sockets of every listen= line, with the default port ({@code port=}, 5060; TLS
     * {@code tls_port_no=}, 5061) filled in. Empty when the cfg has no listen (Kamailio then listens everywhere).
     */
    public List<ListenSpec> listens() {
        return specs("listen", true);
    }

    /** The alias= entries; port 0 = any port. */
    public List<ListenSpec> aliases() {
        return specs("alias", false);
    }

    private List<ListenSpec> specs(String param, boolean defaultPort) {
        int port = globalInt("port", 5060);
        int tlsPort = globalInt("tls_port_no", 5061);
        List<ListenSpec> out = new ArrayList<>();
        for (String v : globalAll(param)) {
            for (ListenSpec s : ListenSpec.parseAll(v)) out.add(defaultPort ? s.withDefaultPort(port, tlsPort) : s);
        }
        return out;
    }

    /** Every modparam, in file order (also those of engine modules such as app_python3). */
    public List<ModParam> modparams() {
        return modparams;
    }

    /** The last value of a modparam, or null. */
    public Object modparam(String module, String name) {
        Object v = null;
        for (ModParam p : modparams) if (p.module().equals(module) && p.name().equals(name)) v = p.value();
        return v;
    }

    /** Loaded module instances (builtins excluded), in loadmodule order. */
    public List<Object> modules() {
        return modules;
    }

    /** The KSR function table: builtins plus loaded modules. */
    public FunctionTable functions() {
        return functions;
    }

    /** "native", or the cfgengine name in lower case ("python", "jsdt"). */
    public String cfgEngine() {
        return cfgEngine;
    }

    /** The native route blocks (possibly none when a KEMI engine is used). */
    public NativeScript nativeScript() {
        return nativeScript;
    }

    /** The script the runtime runs: native, KEMI, or KEMI with a native request_route winning. */
    public RoutingScript script() {
        return script;
    }

    void script(RoutingScript s) {
        this.script = s;
    }

    /** Non-fatal findings ("file:line:col: text") for `kemi check`. */
    public List<String> warnings() {
        return warnings;
    }
}
