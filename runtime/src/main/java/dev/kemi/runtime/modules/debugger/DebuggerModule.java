package dev.kemi.runtime.modules.debugger;

import dev.kemi.api.ActionTracer;
import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.api.Param;
import dev.kemi.api.RouteType;
import dev.kemi.api.ScriptContext;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.ScriptLog;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * debugger: cfgtrace (a line per action of the native routes, Kamailio's format; conditions'
 * function calls are not traced, and a= is Kamailio's type where one matches), dbg_sip_msg, and
 * dbg_breakpoint as a no-op: there is no interactive stepping here.
 */
@Module(value = "debugger", loadName = "debugger")
public final class DebuggerModule implements ActionTracer {
    private static final Logger TRACE = LoggerFactory.getLogger("kemi.cfgtrace");
    private final AtomicBoolean warned = new AtomicBoolean();
    private volatile boolean cfgtrace;
    private int level = ScriptLog.ERR;
    private String prefix = "*** cfgtrace:";
    private String levelName;

    @Param("cfgtrace")
    public void cfgtrace(int v) { cfgtrace = v != 0; }

    @Param("breakpoint")
    public void breakpoint(int v) {
        if (v != 0) throw new IllegalArgumentException("interactive breakpoints are not implemented (only 0)");
    }

    /** Level of the cfgtrace lines (L_ERR by default, as Kamailio). */
    @Param("log_level")
    public void logLevel(int v) { level = v; }

    @Param("log_prefix")
    public void logPrefix(String v) { prefix = v; }

    /** Written before the prefix, as Kamailio writes it instead of the level's name ("exec: *** cfgtrace:..."). */
    @Param("log_level_name")
    public void logLevelName(String v) { levelName = v; }

    @Override
    public boolean tracing() {
        return cfgtrace;
    }

    @Override
    public void trace(ScriptContext ctx, String route, String file, int line, int type, String action) {
        String text = (levelName != null ? levelName + ": " : "") + prefix + RouteType.name(ctx.routeType()) + "=[" + route
                + "] c=[" + file + "] l=" + line + " a=" + type + " n=" + action;
        if (level <= ScriptLog.ERR) TRACE.error(text);
        else if (level == ScriptLog.WARN) TRACE.warn(text);
        else if (level <= ScriptLog.INFO) TRACE.info(text);
        else TRACE.debug(text);
    }

    @Export(natives = "dbg_breakpoint", routes = RouteType.ANY, nativeOnly = true, returns = {1})
    public int dbg_breakpoint(MessageContext ctx, int on) {
        if (warned.compareAndSet(false, true)) {
            ScriptLog.log(ScriptLog.WARN, "debugger: dbg_breakpoint() does nothing here: no interactive debugging");
        }
        return 1;
    }

    /** Logs the message as it would be sent now, pending changes applied. */
    @Export(natives = "dbg_sip_msg", routes = RouteType.REQUEST | RouteType.ONREPLY, nativeOnly = true, returns = {1, -1})
    public int dbg_sip_msg(MessageContext ctx) {
        ScriptLog.log(ScriptLog.ERR, "debugger: SIP message with pending changes:\n" + ctx.msg());
        return 1;
    }

    /** dbg_sip_msg("L_INFO"): at that level (an unknown one is L_ERR). */
    @Export(natives = "dbg_sip_msg", routes = RouteType.REQUEST | RouteType.ONREPLY, nativeOnly = true, returns = {1, -1})
    public int dbg_sip_msg(MessageContext ctx, String level) {
        Integer l = ScriptLog.parseLevel(level);
        ScriptLog.log(l == null ? ScriptLog.ERR : l, "debugger: SIP message with pending changes:\n" + ctx.msg());
        return 1;
    }

    /** dbg_sip_msg("L_INFO", "LOG_LOCAL0"): the facility goes in the MDC (syslog_facility), as acc's. */
    @Export(natives = "dbg_sip_msg", routes = RouteType.REQUEST | RouteType.ONREPLY, nativeOnly = true, returns = {1, -1})
    public int dbg_sip_msg(MessageContext ctx, String level, String facility) {
        org.slf4j.MDC.put("syslog_facility", facility.toUpperCase(java.util.Locale.ROOT));
        try {
            return dbg_sip_msg(ctx, level);
        } finally {
            org.slf4j.MDC.remove("syslog_facility");
        }
    }
}
