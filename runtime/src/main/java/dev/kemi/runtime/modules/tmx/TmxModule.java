package dev.kemi.runtime.modules.tmx;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.core.RuntimeModule;
import dev.kemi.runtime.modules.tm.TmModule;
import dev.kemi.runtime.modules.tm.Transaction;

/** Kamailio's tmx module: route-type tests and transaction helpers over tm. */
@Module(value = "tmx", loadName = "tmx")
public final class TmxModule implements RuntimeModule {
    private TmModule tm;

    @Override
    public void init(ProxyServices services) {
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

    /** Branch reuse needs async suspension (t_suspend), which is not implemented. */
    @Export(routes = RouteType.EVENT_ROUTE, returns = {-1})
    public int t_reuse_branch(MessageContext ctx) {
        return -1;
    }
}
