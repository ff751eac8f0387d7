package dev.kemi.runtime.modules.kex;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.api.Pv;
import dev.kemi.api.PvExports;
import dev.kemi.api.PvName;
import dev.kemi.api.PvProvider;
import dev.kemi.api.PvSpec;
import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.core.RuntimeModule;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.modules.pv.PvModule;
import dev.kemi.runtime.modules.pv.StandardPvs;
import dev.kemi.runtime.stats.Statistics;
import dev.kemi.runtime.core.LocalLogLevel;
import java.util.Map;
import java.util.Set;

/**
 * kex: setdebug/resetdebug and $stat. Its flag and dst-URI functions (setsflag, setbflag,
 * setdsturi, is_myself ...) are the core module's here, so they work with or without kex.
 */
@Module(value = "kex", loadName = "kex")
public final class KexModule implements PvExports, RuntimeModule {
    /** kex's core statistics, registered at 0 so they read before they are first counted. */
    private static final java.util.List<String> CORE_STATS = java.util.List.of("rcv_requests", "rcv_requests_invite", "rcv_requests_cancel",
        "rcv_requests_ack", "rcv_requests_bye", "rcv_requests_info", "rcv_requests_register", "rcv_requests_subscribe",
        "rcv_requests_notify", "rcv_requests_message", "rcv_requests_options", "rcv_requests_prack",
        "rcv_requests_update", "rcv_requests_refer", "rcv_requests_publish", "rcv_replies", "rcv_replies_1xx",
        "rcv_replies_18x", "rcv_replies_2xx", "rcv_replies_3xx", "rcv_replies_4xx", "rcv_replies_401",
        "rcv_replies_404", "rcv_replies_407", "rcv_replies_480", "rcv_replies_486", "rcv_replies_5xx",
        "rcv_replies_6xx", "fwd_requests", "fwd_replies", "drop_requests", "drop_replies", "err_requests",
        "err_replies", "bad_URIs_rcvd", "unsupported_methods", "bad_msg_hdr");
    /** Replies counted per class and CSeq method: core:rcv_replies_2xx_invite ... */
    private static final java.util.List<String> REPLY_METHODS = java.util.List.of("bye", "cancel", "invite", "message", "prack",
        "refer", "reg", "update");

    private PvProvider pvs = new StandardPvs();

    @Override
    public void init(ProxyServices services) {
        pvs = PvModule.providerOf(services);
        for (String n : CORE_STATS) services.statistics().counter("core", n);
        for (int c = 1; c <= 6; c++) {
            for (String m : REPLY_METHODS) services.statistics().counter("core", "rcv_replies_" + c + "xx_" + m);
        }
    }

    /** This worker's debug level until resetdebug(), as Kamailio's per-process level. */
    @Export(routes = RouteType.ANY, returns = {1})
    public int setdebug(MessageContext ctx, int level) {
        LocalLogLevel.set(level);
        return 1;
    }

    @Export(routes = RouteType.ANY, returns = {1})
    public int resetdebug(MessageContext ctx) {
        LocalLogLevel.reset();
        return 1;
    }

    /** pv_printf($var(x), "format") and its alias avp_printf: the printed format into the variable. */
    @Export(natives = {"pv_printf", "avp_printf"}, nativeOnly = true, returns = {1, -1})
    public int pv_printf(MessageContext ctx, @PvName String dst, String format) {
        try {
            Pv pv = pvs.resolve(PvSpec.parse(dst));
            if (!pv.writable()) {
                ScriptLog.log(ScriptLog.ERR, "kex: pv_printf: " + dst + " is read-only");
                return -1;
            }
            pv.set(ctx, format);
            return 1;
        } catch (IllegalArgumentException e) {
            ScriptLog.log(ScriptLog.ERR, "kex: pv_printf: invalid pseudo-variable [" + dst + "]: " + e.getMessage());
            return -1;
        }
    }

    @Override
    public Set<String> pvNames() {
        return Set.of("stat");
    }

    /** $stat(name) or $stat(group:name): the statistic's value, $null if there is none. */
    @Override
    public Pv resolvePv(PvSpec spec) {
        String name = spec.param();
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("$stat needs a statistic name");
        return ctx -> {
            Long v = lookup(((MessageContext) ctx).services().statistics(), name);
            return v == null ? null : (Object) (int) (long) v;
        };
    }

    /** Kamailio names are unique across groups, so a bare name finds its group. */
    static Long lookup(Statistics stats, String name) {
        int colon = name.indexOf(':');
        if (colon > 0) return stats.value(name.substring(0, colon), name.substring(colon + 1));
        for (Map.Entry<String, Map<String, Long>> g : stats.snapshot().entrySet()) {
            Long v = g.getValue().get(name);
            if (v != null) return v;
        }
        return null;
    }
}
