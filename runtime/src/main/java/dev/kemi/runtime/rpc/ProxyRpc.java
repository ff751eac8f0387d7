package dev.kemi.runtime.rpc;

import dev.kemi.api.FunctionTable;
import dev.kemi.engine.polyglot.AppJsdtModule;
import dev.kemi.engine.polyglot.AppPython3Module;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.modules.kex.KexModule;
import dev.kemi.runtime.modules.tm.TmModule;
import dev.kemi.runtime.transport.Alias;
import java.time.Instant;
import java.util.List;
import java.util.function.IntSupplier;

/** The RPC commands of a running proxy, by Kamailio's names; a module's only if it is loaded. */
public final class ProxyRpc {
    private ProxyRpc() {}

    /** The commands of a running proxy: core, stats (with kex), cfg, and every loaded module's. */
    public static RpcRegistry registry(ProxyServices services, Instant upSince, List<Alias> aliases, IntSupplier tcpConnections) {
        RpcRegistry r = new RpcRegistry();
        new CoreRpc(upSince).register(r, services, aliases, tcpConnections);
        // stats.* are kex's commands in Kamailio
        if (services.functions().module(KexModule.class) != null) StatsRpc.register(r, services.statistics());
        modules(r, services.functions());
        // core.debug at run time until a cfg_rpc module (the cfg framework's commands) takes cfg.*
        if (!r.has("cfg.get")) new CfgRpc(services).register(r);
        return r;
    }

    /** Without a running proxy (tests of the scripts alone): core commands and the modules'. */
    public static RpcRegistry registry(FunctionTable functions, Instant upSince) {
        RpcRegistry r = new RpcRegistry();
        new CoreRpc(upSince).register(r);
        modules(r, functions);
        return r;
    }

    private static void modules(RpcRegistry r, FunctionTable functions) {
        TmModule tm = functions.module(TmModule.class);
        if (tm != null) r.register("tm.stats", p -> tm.stats().snapshot());
        AppPython3Module py = functions.module(AppPython3Module.class);
        if (py != null) ScriptRpc.register(r, "app_python", py::bound, functions);
        AppJsdtModule js = functions.module(AppJsdtModule.class);
        if (js != null) ScriptRpc.register(r, "app_jsdt", js::bound, functions);
        for (Object m : functions.modules()) {
            if (m instanceof RpcProvider rp) rp.registerRpc(r);
        }
    }
}
