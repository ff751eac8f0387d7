package dev.kemi.runtime.cli;

import dev.kemi.api.RoutingScript;
import dev.kemi.engine.cfg.ConfigLoader;
import dev.kemi.engine.cfg.GlobalParam;
import dev.kemi.engine.cfg.LoadedConfig;
import dev.kemi.runtime.core.DefaultRoute;
import dev.kemi.runtime.core.GlobalChecks;
import dev.kemi.runtime.core.Globals;
import dev.kemi.runtime.core.ProxyConfig;
import dev.kemi.runtime.modules.StandardModules;
import dev.kemi.runtime.transport.TransportConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads a cfg into what the proxy runs; shared by `kemi run`, `kemi check` and the test harness. */
public final class ProxyLoader {
    private static final Logger log = LoggerFactory.getLogger(ProxyLoader.class);

    private ProxyLoader() {}

    /**
     * Loads and checks a cfg, transport settings included.
     *
     * @throws dev.kemi.api.ScriptException with file:line on the first error
     */
    public static LoadedConfig load(Path cfg, Set<String> defines) {
        StandardModules modules = new StandardModules();
        LoadedConfig lc = ConfigLoader.load(cfg, defines, modules, modules.pvs());
        TransportConfig.from(globals(lc));
        GlobalChecks.check(globals(lc));
        return lc;
    }

    /** The proxy's view of a loaded cfg; the built-in {@link DefaultRoute} when it has no routing blocks. */
    public static ProxyConfig proxyConfig(LoadedConfig lc) {
        RoutingScript script = lc.script();
        if (script == null || DefaultRoute.applies(script)) {
            log.info("{} has no routing blocks: using the built-in default route", lc.file());
            script = new DefaultRoute();
        }
        return new ProxyConfig(globals(lc), script, lc.functions(), lc.functions().modules());
    }

    static Globals globals(LoadedConfig lc) {
        return name -> {
            List<Globals.Setting> out = new ArrayList<>();
            for (GlobalParam g : lc.globals()) {
                if (g.name().equals(name)) out.add(new Globals.Setting(g.value(), g.file(), g.line()));
            }
            return out;
        };
    }
}
