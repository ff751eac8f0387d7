package dev.kemi.runtime.modules;

import dev.kemi.api.ModuleCatalog;
import dev.kemi.runtime.modules.core.CoreModule;
import dev.kemi.runtime.modules.corex.CorexModule;
import dev.kemi.runtime.modules.hdr.HdrModule;
import dev.kemi.runtime.modules.kemix.KemixModule;
import dev.kemi.runtime.modules.kex.KexModule;
import dev.kemi.runtime.modules.maxfwd.MaxfwdModule;
import dev.kemi.runtime.modules.pv.PvModule;
import dev.kemi.runtime.modules.pv.PvxModule;
import dev.kemi.runtime.modules.pv.StandardPvs;
import dev.kemi.runtime.modules.rr.RrModule;
import dev.kemi.runtime.modules.sanity.SanityModule;
import dev.kemi.runtime.modules.siputils.SiputilsModule;
import dev.kemi.runtime.modules.sl.SlModule;
import dev.kemi.runtime.modules.textops.TextopsModule;
import dev.kemi.runtime.modules.xlog.XlogModule;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The modules `loadmodule` can load, by load name, and the always-present core ones. Modules
 * of other packages (tm, tmx, rtpproxy, app_python3, app_jsdt) are looked up by class name
 * in {@link #BY_CLASS_NAME} so this catalog compiles without them; a new module can also be
 * added with {@link #register}.
 */
public final class StandardModules implements ModuleCatalog {
    private static final Map<String, Supplier<Object>> LOADABLE = new ConcurrentHashMap<>(Map.ofEntries(
            Map.entry("sl", SlModule::new),
            Map.entry("maxfwd", MaxfwdModule::new),
            Map.entry("siputils", SiputilsModule::new),
            Map.entry("textops", TextopsModule::new),
            Map.entry("pv", PvxModule::new),
            Map.entry("xlog", XlogModule::new),
            Map.entry("rr", RrModule::new),
            Map.entry("sanity", SanityModule::new),
            Map.entry("kex", KexModule::new),
            Map.entry("corex", CorexModule::new),
            Map.entry("kemix", KemixModule::new)));

    /** Load name to implementation class, for modules living in other helpers' packages. */
    private static final Map<String, String> BY_CLASS_NAME = Map.of(
            "tm", "dev.kemi.runtime.modules.tm.TmModule",
            "tmx", "dev.kemi.runtime.modules.tmx.TmxModule",
            "rtpproxy", "dev.kemi.runtime.modules.rtpproxy.RtpproxyModule",
            "app_python3", "dev.kemi.engine.polyglot.AppPython3Module",
            "app_jsdt", "dev.kemi.engine.polyglot.AppJsdtModule");

    private final StandardPvs pvs = new StandardPvs();

    /** Adds (or replaces) a loadable module. */
    public static void register(String loadName, Supplier<Object> factory) {
        LOADABLE.put(loadName, factory);
    }

    /** The PV provider to hand to the cfg engine (the same one KSR.pv uses). */
    public StandardPvs pvs() {
        return pvs;
    }

    @Override
    public Optional<Object> create(String loadName) {
        String name = loadName.endsWith(".so") ? loadName.substring(0, loadName.length() - 3) : loadName;
        Supplier<Object> s = LOADABLE.get(name);
        if (s != null) return Optional.of(s.get());
        String cls = BY_CLASS_NAME.get(name);
        if (cls == null) return Optional.empty();
        try {
            return Optional.of(Class.forName(cls).getConstructor().newInstance());
        } catch (ReflectiveOperationException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<Object> builtins() {
        return List.of(new CoreModule(), new HdrModule(), new PvModule(pvs));
    }
}
