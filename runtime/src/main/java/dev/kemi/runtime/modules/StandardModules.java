package dev.kemi.runtime.modules;

import dev.kemi.api.ModuleCatalog;
import dev.kemi.api.PvExports;
import dev.kemi.runtime.db.mysql.DbMysqlModule;
import dev.kemi.runtime.db.postgres.DbPostgresModule;
import dev.kemi.runtime.db.sqlite.DbSqliteModule;
import dev.kemi.runtime.modules.auth.AuthModule;
import dev.kemi.runtime.modules.auth_db.AuthDbModule;
import dev.kemi.runtime.modules.acc.AccModule;
import dev.kemi.runtime.modules.cfg.CfgFramework;
import dev.kemi.runtime.modules.cfgrpc.CfgRpcModule;
import dev.kemi.runtime.modules.core.CoreModule;
import dev.kemi.runtime.modules.counters.CountersModule;
import dev.kemi.runtime.modules.debugger.DebuggerModule;
import dev.kemi.runtime.modules.corex.CorexModule;
import dev.kemi.runtime.modules.ctl.CtlModule;
import dev.kemi.runtime.modules.hdr.HdrModule;
import dev.kemi.runtime.modules.jsonrpcs.JsonrpcsModule;
import dev.kemi.runtime.modules.kemix.KemixModule;
import dev.kemi.runtime.modules.kex.KexModule;
import dev.kemi.runtime.modules.maxfwd.MaxfwdModule;
import dev.kemi.runtime.modules.pv.PvModule;
import dev.kemi.runtime.modules.pv.PvxModule;
import dev.kemi.runtime.modules.pv.StandardPvs;
import dev.kemi.runtime.modules.rr.RrModule;
import dev.kemi.runtime.modules.rtpengine.RtpengineModule;
import dev.kemi.runtime.modules.rtpproxy.RtpproxyModule;
import dev.kemi.runtime.modules.sanity.SanityModule;
import dev.kemi.runtime.modules.siputils.SiputilsModule;
import dev.kemi.runtime.modules.sqlops.SqlopsModule;
import dev.kemi.runtime.modules.sl.SlModule;
import dev.kemi.runtime.modules.textops.TextopsModule;
import dev.kemi.runtime.modules.textopsx.TextopsxModule;
import dev.kemi.runtime.modules.tm.TmModule;
import dev.kemi.runtime.modules.tmx.TmxModule;
import dev.kemi.runtime.modules.xhttp.XhttpModule;
import dev.kemi.runtime.modules.xlog.XlogModule;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.HashMap;
import java.util.function.Supplier;

/**
 * One proxy's catalog: the modules `loadmodule` can load, by load name, and the always-present
 * core ones (core, hdr, pv). Each proxy builds its own, so module instances and the pv module's
 * $var/$shv are never shared. A new module is one line in {@link #LOADABLE}; modules from
 * outside runtime (the script engines' app_python3, app_jsdt) are added by the composition root.
 */
public final class StandardModules implements ModuleCatalog {
    private static final Map<String, Supplier<Object>> LOADABLE = Map.ofEntries(
            Map.entry("sl", SlModule::new),
            Map.entry("maxfwd", MaxfwdModule::new),
            Map.entry("siputils", SiputilsModule::new),
            Map.entry("textops", TextopsModule::new),
            Map.entry("xlog", XlogModule::new),
            Map.entry("tls", dev.kemi.runtime.modules.tls.TlsModule::new),
            Map.entry("rr", RrModule::new),
            Map.entry("sanity", SanityModule::new),
            Map.entry("kex", KexModule::new),
            Map.entry("corex", CorexModule::new),
            Map.entry("kemix", KemixModule::new),
            Map.entry("tm", TmModule::new),
            Map.entry("tmx", TmxModule::new),
            Map.entry("rtpproxy", RtpproxyModule::new),
            Map.entry("rtpengine", RtpengineModule::new),
            Map.entry("usrloc", dev.kemi.runtime.modules.usrloc.UsrlocModule::new),
            Map.entry("registrar", dev.kemi.runtime.modules.registrar.RegistrarModule::new),
            Map.entry("auth", AuthModule::new),
            Map.entry("auth_db", AuthDbModule::new),
            Map.entry("permissions", dev.kemi.runtime.modules.permissions.PermissionsModule::new),
            Map.entry("db_sqlite", DbSqliteModule::new),
            Map.entry("db_mysql", DbMysqlModule::new),
            Map.entry("db_postgres", DbPostgresModule::new),
            Map.entry("sqlops", SqlopsModule::new),
            Map.entry("textopsx", TextopsxModule::new),
            Map.entry("cfg_rpc", CfgRpcModule::new),
            Map.entry("counters", CountersModule::new),
            Map.entry("acc", AccModule::new),
            Map.entry("dispatcher", dev.kemi.runtime.modules.dispatcher.DispatcherModule::new),
            Map.entry("dialog", dev.kemi.runtime.modules.dialog.DialogModule::new),
            Map.entry("debugger", DebuggerModule::new),
            Map.entry("ctl", CtlModule::new),
            Map.entry("xhttp", XhttpModule::new),
            Map.entry("websocket", dev.kemi.runtime.modules.websocket.WebsocketModule::new),
            Map.entry("jsonrpcs", JsonrpcsModule::new),
            Map.entry("xhttp_prom", dev.kemi.runtime.modules.xhttp_prom.XhttpPromModule::new),
            Map.entry("htable", dev.kemi.runtime.modules.htable.HtableModule::new),
            Map.entry("pike", dev.kemi.runtime.modules.pike.PikeModule::new),
            Map.entry("nathelper", dev.kemi.runtime.modules.nathelper.NathelperModule::new),
            Map.entry("uac", dev.kemi.runtime.modules.uac.UacModule::new),
            Map.entry("outbound", dev.kemi.runtime.modules.outbound.OutboundModule::new),
            Map.entry("path", dev.kemi.runtime.modules.path.PathModule::new));

    private final Map<String, Supplier<Object>> loadable;
    private final StandardPvs pvs = new StandardPvs();

    /** The runtime's modules only. */
    public StandardModules() {
        this(Map.of());
    }

    /** The runtime's modules and the given ones (by load name; they may not replace a standard one). */
    public StandardModules(Map<String, Supplier<Object>> more) {
        Map<String, Supplier<Object>> all = new HashMap<>(LOADABLE);
        for (Map.Entry<String, Supplier<Object>> e : more.entrySet()) {
            if (all.putIfAbsent(e.getKey(), e.getValue()) != null || e.getKey().equals("pv")) {
                throw new IllegalArgumentException("module " + e.getKey() + " is already in the catalog");
            }
        }
        this.loadable = Map.copyOf(all);
    }

    /** Every name loadmodule accepts (without ".so"). */
    public java.util.Set<String> loadNames() {
        java.util.TreeSet<String> names = new java.util.TreeSet<>(LOADABLE.keySet());
        names.add("pv"); // created with this catalog's PVs, not from LOADABLE
        return names;
    }

    /** The PV provider to hand to the cfg engine (the same one KSR.pv uses). */
    public StandardPvs pvs() {
        return pvs;
    }

    @Override
    public Optional<Object> create(String loadName) {
        String name = loadName.endsWith(".so") ? loadName.substring(0, loadName.length() - 3) : loadName;
        Supplier<Object> s = loadable.get(name);
        // pv's KSR.pvx shares $var/$shv with the PVs the cfg resolves
        Object module = name.equals("pv") ? new PvxModule(pvs) : s == null ? null : s.get();
        if (module == null) return Optional.empty();
        if (module instanceof PvExports pe) pvs.add(pe);
        return Optional.of(module);
    }

    @Override
    public List<Object> builtins() {
        CfgFramework cfg = new CfgFramework();
        pvs.add(cfg);
        return List.of(new CoreModule(), new HdrModule(), new PvModule(pvs), cfg);
    }
}
