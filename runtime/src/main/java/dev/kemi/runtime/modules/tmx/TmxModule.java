package dev.kemi.runtime.modules.tmx;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.api.Pv;
import dev.kemi.api.PvExports;
import dev.kemi.api.PvSpec;
import dev.kemi.runtime.modules.ScriptLog;
import java.util.Set;
import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.core.RuntimeModule;
import dev.kemi.runtime.modules.tm.TmModule;
import dev.kemi.runtime.modules.tm.Transaction;

/** Kamailio's tmx module: route-type tests and transaction helpers over tm. */
@Module(value = "tmx", loadName = "tmx")
public final class TmxModule implements RuntimeModule, PvExports {
    private TmModule tm;
    private ProxyServices services;

    @Override
    public void init(ProxyServices services) {
        this.services = services;
        tm = services.functions() == null ? null : services.functions().module(TmModule.class);
        if (tm != null) registerStats(services.statistics(), tm);
    }

    /** tmx's statistics (Kamailio exports tm's counters from tmx, group "tmx"). */
    private static void registerStats(dev.kemi.runtime.stats.Statistics s, TmModule tm) {
        java.util.function.Function<String, Long> v = k -> tm.stats().snapshot().get(k);
        s.gauge("tmx", "UAS_transactions", () -> v.apply("total") - v.apply("total_local"));
        s.gauge("tmx", "UAC_transactions", () -> v.apply("total_local"));
        for (String c : new String[] {"2xx", "3xx", "4xx", "5xx", "6xx"}) s.gauge("tmx", c + "_transactions", () -> v.apply(c));
        s.gauge("tmx", "inuse_transactions", () -> v.apply("current"));
        s.gauge("tmx", "active_transactions", () -> v.apply("current") - v.apply("waiting"));
        s.gauge("tmx", "rpl_received", () -> v.apply("rpl_received"));
        s.gauge("tmx", "rpl_generated", () -> v.apply("rpl_generated"));
        s.gauge("tmx", "rpl_sent", () -> v.apply("rpl_sent"));
        s.gauge("tmx", "rpl_relayed", () -> v.apply("rpl_sent") - v.apply("rpl_generated"));
        s.gauge("tmx", "rpl_absorbed", () -> Math.max(0, v.apply("rpl_received") - (v.apply("rpl_sent") - v.apply("rpl_generated"))));
    }

    /** For callers that build the modules themselves (tests). */
    public void useTm(TmModule tm) {
        this.tm = tm;
    }

    /**
     * 1 if another process is handling the same request right now. The messages of a call are
     * handled one at a time by the worker owning its Call-ID, so a retransmission is never
     * processed concurrently with its original: always -1.
     */
    @Export(routes = RouteType.REQUEST, returns = {-1})
    public int t_precheck_trans(MessageContext ctx) {
        return -1;
    }

    @Export(returns = {1, -1})
    public int t_is_request_route(MessageContext ctx) {
        return ctx.routeType() == RouteType.REQUEST ? 1 : -1;
    }

    @Export(returns = {1, -1})
    public int t_is_reply_route(MessageContext ctx) {
        return (ctx.routeType() & RouteType.ONREPLY) != 0 ? 1 : -1;
    }

    @Export(returns = {1, -1})
    public int t_is_failure_route(MessageContext ctx) {
        return ctx.routeType() == RouteType.FAILURE ? 1 : -1;
    }

    @Export(returns = {1, -1})
    public int t_is_branch_route(MessageContext ctx) {
        return ctx.routeType() == RouteType.BRANCH ? 1 : -1;
    }

    /** Saves the current message flags into the transaction (failure and reply routes see them). */
    @Export(returns = {1, -1})
    public int t_flush_flags(MessageContext ctx) {
        Transaction t = Transaction.of(ctx);
        if (t == null) return -1;
        t.setFlags(ctx.flags());
        return 1;
    }

    /** No extended flags are kept apart from the message flags. */
    @Export(returns = {1, -1})
    public int t_flush_xflags(MessageContext ctx) {
        return Transaction.of(ctx) == null ? -1 : 1;
    }

    @Export(routes = RouteType.ONREPLY, returns = {1, -1})
    public int t_cancel_branches(MessageContext ctx, String which) {
        return tm == null ? -1 : tm.cancelBranches(ctx, which);
    }

    @Export(natives = "t_drop", returns = {0, -1})
    public int t_drop(MessageContext ctx) {
        return tm == null ? -1 : tm.dropTransaction(ctx, 500);
    }

    @Export(value = "t_drop_rcode", natives = "t_drop", returns = {0, -1})
    public int t_drop_rcode(MessageContext ctx, int code) {
        return tm == null ? -1 : tm.dropTransaction(ctx, code);
    }

    @Export(returns = {1, -1})
    public int t_reply_callid(MessageContext ctx, String callId, String cseq, int code, String reason) {
        return tm == null ? -1 : tm.replyByCallId(callId, cseq, code, reason);
    }

    @Export(returns = {1, -1})
    public int t_cancel_callid(MessageContext ctx, String callId, String cseq, int flags) {
        return tm == null ? -1 : tm.cancelByCallId(callId, cseq, flags, 0);
    }

    @Export(natives = "t_cancel_callid", returns = {1, -1})
    public int t_cancel_callid_reason(MessageContext ctx, String callId, String cseq, int flags, int reason) {
        return tm == null ? -1 : tm.cancelByCallId(callId, cseq, flags, reason);
    }

    /**
     * Suspends the request's transaction (created first if needed) until t_continue(); read
     * $T(id_index) and $T(id_label) to continue it. 1 suspended, -3 already answered, -1 error.
     */
    @Export(returns = {1, -1, -3})
    public int t_suspend(MessageContext ctx) {
        return tm == null ? -1 : tm.suspend(ctx);
    }

    /** Native: runs route[rtname] for the suspended transaction, as a failure_route. */
    @Export(natives = "t_continue", nativeOnly = true, returns = {1, -1, -2})
    public int t_continue_route(MessageContext ctx, int index, int label, String rtname) {
        if (tm == null) return -1;
        if (rtname == null || services == null || !services.script().has(RouteType.REQUEST, rtname)) {
            ScriptLog.log(ScriptLog.ERR, "tmx: unable to find route block [" + rtname + "]");
            return -1;
        }
        return tm.resume(index, label, rtname) == 1 ? 1 : -1;
    }

    /** KEMI: calls the script function {@code cbname} for the suspended transaction, as a failure_route. */
    @Export(kemiOnly = true, returns = {1, -1})
    public int t_continue(MessageContext ctx, int index, int label, String cbname) {
        return tm == null ? -1 : tm.resume(index, label, cbname) == 1 ? 1 : -1;
    }

    @Override
    public Set<String> pvNames() {
        return Set.of("T");
    }

    /** $T(name): id_index, id_label (and _n forms that create the transaction), reply_code, reply_type, branch_index, reply_reason. */
    @Override
    public Pv resolvePv(PvSpec spec) {
        String n = spec.param();
        if (n == null) throw new IllegalArgumentException("$T needs a name");
        return switch (n) {
            case "reply_code" -> c -> tmValue((MessageContext) c, "T_reply_code");
            case "branch_index" -> c -> tmValue((MessageContext) c, "T_branch_idx");
            case "reply_reason" -> c -> tmValue((MessageContext) c, "T_reply_reason");
            case "reply_type" -> c -> tx((MessageContext) c, false) == null ? null : tmValue((MessageContext) c, "T_reply_type");
            case "id_index", "id_index_n" -> c -> {
                Transaction t = tx((MessageContext) c, n.endsWith("_n"));
                return t == null ? null : t.hashIndex();
            };
            // as Kamailio's pv_get_t: uri, ruid and flags parse but give the label
            case "id_label", "id_label_n", "uri", "ruid", "flags" -> c -> {
                Transaction t = tx((MessageContext) c, n.equals("id_label_n"));
                return t == null ? null : t.label();
            };
            default -> throw new IllegalArgumentException("$T(" + n + "): unknown name");
        };
    }

    private Transaction tx(MessageContext ctx, boolean create) {
        return tm == null ? null : tm.transaction(ctx, create);
    }

    private Object tmValue(MessageContext ctx, String name) {
        return tm == null ? null : tm.tmValue(name, ctx);
    }

    /** Branch reuse needs async suspension (t_suspend), which is not implemented. */
    @Export(routes = RouteType.EVENT_ROUTE, returns = {-1})
    public int t_reuse_branch(MessageContext ctx) {
        return -1;
    }
}
