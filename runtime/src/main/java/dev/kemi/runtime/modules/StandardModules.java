package dev.kemi.runtime.modules;

import dev.kemi.api.ModuleCatalog;
import dev.kemi.api.PvExports;
import dev.kemi.engine.polyglot.AppJsdtModule;
import dev.kemi.engine.polyglot.AppPython3Module;
import dev.kemi.runtime.db.mysql.DbMysqlModule;
import dev.kemi.runtime.db.postgres.DbPostgresModule;
import dev.kemi.runtime.db.sqlite.DbSqliteModule;
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
import dev.kemi.runtime.modules.rtpproxy.RtpproxyModule;
import dev.kemi.runtime.modules.sanity.SanityModule;
import dev.kemi.runtime.modules.siputils.SiputilsModule;
import dev.kemi.runtime.modules.sqlops.SqlopsModule;
import dev.kemi.runtime.modules.sl.SlModule;
import dev.kemi.runtime.modules.textops.TextopsModule;
import dev.kemi.runtime.modules.tm.TmModule;
import dev.kemi.runtime.modules.tmx.TmxModule;
import dev.kemi.runtime.modules.xlog.XlogModule;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The modules `loadmodule` can load, by load name, and the always-present core ones (core,
 * hdr, pv). A module added later goes into {@link #LOADABLE} (or is added with {@link #register}).
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
            Map.entry("kemix", KemixModule::new),
            Map.entry("tm", TmModule::new),
            Map.entry("tmx", TmxModule::new),
            Map.entry("rtpproxy", RtpproxyModule::new),
            Map.entry("usrloc", dev.kemi.runtime.modules.usrloc.UsrlocModule::new),
            Map.entry("registrar", dev.kemi.runtime.modules.registrar.RegistrarModule::new),
            Map.entry("app_python3", AppPython3Module::new),
            Map.entry("app_jsdt", AppJsdtModule::new),
            Map.entry("db_sqlite", DbSqliteModule::new),
            Map.entry("db_mysql", DbMysqlModule::new),
            Map.entry("db_postgres", DbPostgresModule::new),
            Map.entry("sqlops", SqlopsModule::new)));

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
        if (s == null) return Optional.empty();
        Object module = s.get();
        if (module instanceof PvExports pe) pvs.add(pe);
        return Optional.of(module);
    }

    @Override
    public List<Object> builtins() {
        return List.of(new CoreModule(), new HdrModule(), new PvModule(pvs));
    }
}
