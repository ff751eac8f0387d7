package dev.kemi.runtime.rpc;

import dev.kemi.api.FunctionTable;
import dev.kemi.engine.polyglot.AppJsdtModule;
import dev.kemi.engine.polyglot.AppPython3Module;
import dev.kemi.runtime.modules.tm.TmModule;
import java.time.Instant;

/** The RPC commands of a running proxy, by Kamailio's names; each engine's only if its module is loaded. */
public final class ProxyRpc {
    private ProxyRpc() {}

    /** @param functions the loaded cfg's function table (modules and the api_list) */
    public static RpcRegistry registry(FunctionTable functions, Instant upSince) {
        RpcRegistry r = new RpcRegistry();
        new CoreRpc(upSince).register(r);
        r.register("core.psx", p -> ThreadList.entries());
        TmModule tm = functions.module(TmModule.class);
        if (tm != null) r.register("tm.stats", p -> tm.stats().snapshot());
        AppPython3Module py = functions.module(AppPython3Module.class);
        if (py != null) ScriptRpc.register(r, "app_python", py::bound, functions);
        AppJsdtModule js = functions.module(AppJsdtModule.class);
        if (js != null) ScriptRpc.register(r, "app_jsdt", js::bound, functions);
        for (Object m : functions.modules()) {
            if (m instanceof RpcProvider rp) rp.registerRpc(r);
        }
        return r;
    }
}
