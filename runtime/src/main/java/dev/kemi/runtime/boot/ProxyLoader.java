package dev.kemi.runtime.boot;

import dev.kemi.api.RoutingScript;
import dev.kemi.engine.cfg.ConfigLoader;
import dev.kemi.engine.cfg.GlobalParam;
import dev.kemi.engine.cfg.LoadedConfig;
import dev.kemi.engine.polyglot.AppJsdtModule;
import dev.kemi.engine.polyglot.AppPython3Module;
import dev.kemi.runtime.core.DefaultRoute;
import dev.kemi.runtime.core.GlobalChecks;
import dev.kemi.runtime.core.Globals;
import dev.kemi.runtime.core.ProxyConfig;
import dev.kemi.runtime.modules.StandardModules;
import dev.kemi.runtime.core.TransportSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition shared by `kemi run`, `kemi check`, `kemi compare` and the test harness: a new
 * module catalog per proxy (the runtime's modules plus the script engines' app_python3 and
 * app_jsdt), the cfg loaded against it, and the proxy's view of the result.
 */
public final class ProxyLoader {
    private static final Logger log = LoggerFactory.getLogger(ProxyLoader.class);

    private ProxyLoader() {}

    /** Pseudo global naming the cfg file (Kamailio's cfg_file): modules resolve relative file names against its folder. */
    public static final String CFG_FILE = "cfg_file";

    /**
     * Loads and checks a cfg, transport settings included.
     *
     * @throws dev.kemi.api.ScriptException with file:line on the first error
     */
    public static LoadedConfig load(Path cfg, Set<String> defines) {
        StandardModules modules = catalog();
        LoadedConfig lc = ConfigLoader.load(cfg, defines, modules, modules.pvs());
        TransportSettings.from(globals(lc));
        GlobalChecks.check(globals(lc));
        return lc;
    }

    /** A fresh catalog for one proxy: its own module instances, $var, $shv. */
    public static StandardModules catalog() {
        return new StandardModules(Map.of("app_python3", AppPython3Module::new, "app_jsdt", AppJsdtModule::new));
    }

    /** The proxy's view of a loaded cfg; the built-in {@link DefaultRoute} when it has no routing blocks. */
    public static ProxyConfig proxyConfig(LoadedConfig lc) {
        return proxyConfig(lc, Map.of());
    }

    /** @param overrides core parameters set on the command line (-Y, -u ...), replacing the cfg's */
    public static ProxyConfig proxyConfig(LoadedConfig lc, Map<String, String> overrides) {
        RoutingScript script = lc.script();
        if (script == null || DefaultRoute.applies(script)) {
            log.info("{} has no routing blocks: using the built-in default route", lc.file());
            script = new DefaultRoute();
        }
        return new ProxyConfig(globals(lc, overrides), script, lc.functions(), lc.functions().modules(), lc.defines());
    }

    public static Globals globals(LoadedConfig lc) {
        return globals(lc, Map.of());
    }

    public static Globals globals(LoadedConfig lc, Map<String, String> overrides) {
        return name -> {
            if (overrides.containsKey(name)) return List.of(new Globals.Setting(overrides.get(name), "command line", 0));
            if (name.equals(CFG_FILE)) return List.of(new Globals.Setting(lc.file().toString(), lc.file().toString(), 0));
            List<Globals.Setting> out = new ArrayList<>();
            for (GlobalParam g : lc.globals()) {
                if (g.name().equals(name)) out.add(new Globals.Setting(g.value(), g.file(), g.line()));
            }
            return out;
        };
    }
}
