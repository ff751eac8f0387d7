package dev.kemi.runtime.modules.debugger;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.api.Param;
import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.ScriptLog;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * debugger: the script-side functions. There is no interactive stepping here, so
 * dbg_breakpoint() does nothing (with one warning); cfgtrace is refused until the native
 * interpreter can trace its actions.
 */
@Module(value = "debugger", loadName = "debugger")
public final class DebuggerModule {
    private final AtomicBoolean warned = new AtomicBoolean();
    private int level = ScriptLog.DBG;

    @Param("cfgtrace")
    public void cfgtrace(int v) {
        if (v != 0) throw new IllegalArgumentException("cfgtrace is not implemented yet (only 0)");
    }

    @Param("breakpoint")
    public void breakpoint(int v) {
        if (v != 0) throw new IllegalArgumentException("interactive breakpoints are not implemented (only 0)");
    }

    /** Level of dbg_sip_msg's output (Kamailio's log_level modparam, L_DBG by default). */
    @Param("log_level")
    public void logLevel(int v) { level = v; }

    @Export(natives = "dbg_breakpoint", routes = RouteType.ANY, nativeOnly = true)
    public int dbg_breakpoint(MessageContext ctx, int on) {
        if (warned.compareAndSet(false, true)) {
            ScriptLog.log(ScriptLog.WARN, "debugger: dbg_breakpoint() does nothing here: no interactive debugging");
        }
        return 1;
    }

    /** Logs the message as it would be sent now, pending changes applied. */
    @Export(natives = "dbg_sip_msg", routes = RouteType.REQUEST | RouteType.ONREPLY, nativeOnly = true)
    public int dbg_sip_msg(MessageContext ctx) {
        ScriptLog.log(level, "debugger: SIP message with pending changes:\n" + ctx.msg());
        return 1;
    }
}
