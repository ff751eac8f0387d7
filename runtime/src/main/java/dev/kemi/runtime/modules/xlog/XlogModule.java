package dev.kemi.runtime.modules.xlog;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.ScriptLog;
import java.util.Locale;
import org.slf4j.MDC;

/**
 * xlog: formatted logging. Pseudo-variables in the format were already expanded by the cfg
 * engine (STR parameters containing '$'), so these only pick the level.
 */
@Module(value = "xlog", loadName = "xlog")
public final class XlogModule {

    /** Native xlog("fmt") logs at L_ERR, as Kamailio does. */
    @Export(natives = "xlog", nativeOnly = true, returns = {1})
    public int xlog(MessageContext ctx, String msg) {
        ScriptLog.log(ScriptLog.ERR, msg);
        return 1;
    }

    /** Level "L_INFO", "L_DBG" ... or a number; unknown levels log at L_ERR. */
    @Export(natives = "xlog", returns = {1})
    public int xlog(MessageContext ctx, String level, String msg) {
        Integer l = ScriptLog.parseLevel(level);
        ScriptLog.log(l == null ? ScriptLog.ERR : l, msg);
        return 1;
    }

    /**
     * Native xlog("LOG_LOCAL0", "L_INFO", "fmt"): the facility goes with the line in the MDC
     * ({@code syslog_facility}), as acc's log_facility does, for a syslog appender to use.
     */
    @Export(natives = "xlog", nativeOnly = true, returns = {1})
    public int xlog(MessageContext ctx, String facility, String level, String msg) {
        MDC.put("syslog_facility", facility.toUpperCase(Locale.ROOT));
        try {
            return xlog(ctx, level, msg);
        } finally {
            MDC.remove("syslog_facility");
        }
    }

    private static int at(int level, String msg) {
        ScriptLog.log(level, msg);
        return 1;
    }

    @Export(returns = {1, -1}) public int xdbg(MessageContext ctx, String msg) { return at(ScriptLog.DBG, msg); }
    @Export(returns = {1, -1}) public int xinfo(MessageContext ctx, String msg) { return at(ScriptLog.INFO, msg); }
    @Export(returns = {1, -1}) public int xnotice(MessageContext ctx, String msg) { return at(ScriptLog.NOTICE, msg); }
    @Export(returns = {1, -1}) public int xwarn(MessageContext ctx, String msg) { return at(ScriptLog.WARN, msg); }
    @Export(returns = {1, -1}) public int xerr(MessageContext ctx, String msg) { return at(ScriptLog.ERR, msg); }
    @Export(returns = {1, -1}) public int xbug(MessageContext ctx, String msg) { return at(ScriptLog.BUG, msg); }
    @Export(returns = {1, -1}) public int xcrit(MessageContext ctx, String msg) { return at(ScriptLog.CRIT, msg); }
    @Export(returns = {1, -1}) public int xalert(MessageContext ctx, String msg) { return at(ScriptLog.ALERT, msg); }
}
