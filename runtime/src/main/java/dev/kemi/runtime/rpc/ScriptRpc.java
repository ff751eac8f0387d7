package dev.kemi.runtime.rpc;

import dev.kemi.api.FunctionTable;
import dev.kemi.api.ScriptException;
import dev.kemi.engine.polyglot.ApiList;
import dev.kemi.engine.polyglot.PolyglotScript;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <prefix>.reload} and {@code <prefix>.api_list} for one KEMI engine (app_python,
 * app_jsdt). Unlike Kamailio, reload loads and initialises the new script before answering, so a
 * broken script is reported to the caller (500, file:line: reason) and the old one keeps serving.
 */
final class ScriptRpc {
    private static final Logger log = LoggerFactory.getLogger(ScriptRpc.class);

    private ScriptRpc() {}

    /** @param script the engine's loaded script; null when the module is loaded but runs no script */
    static void register(RpcRegistry registry, String prefix, Supplier<? extends PolyglotScript> script, FunctionTable table) {
        registry.register(prefix + ".reload", p -> reload(script.get()));
        registry.register(prefix + ".api_list", p -> ApiList.of(table));
    }

    private static Object reload(PolyglotScript s) {
        if (s == null) throw new RpcException(500, "Reload not enabled");
        long start = System.nanoTime();
        try {
            var r = s.reload();
            log.info("{}: reload {} -> {} in {} ms", s.file(), r.oldVersion(), r.newVersion(), (System.nanoTime() - start) / 1_000_000);
            return r.toMap();
        } catch (ScriptException e) {
            log.error("{} (reload rejected, version {} keeps serving)", e.getMessage(), s.version());
            throw new RpcException(500, e.getMessage());
        }
    }
}
