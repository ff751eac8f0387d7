package dev.kemi.runtime.modules.tmx;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.tm.Transaction;

/** Kamailio's tmx module: route-type tests and transaction helpers over tm. */
@Module(value = "tmx", loadName = "tmx")
public final class TmxModule {

    /**
     * 1 if another process is handling the same request right now. The messages of a call are
     * handled one at a time by the worker owning its Call-ID, so a retransmission is never
     * processed concurrently with its original: always -1.
     */
    @Export(routes = RouteType.REQUEST)
    public int t_precheck_trans(MessageContext ctx) {
        return -1;
    }

    @Export
    public int t_is_request_route(MessageContext ctx) {
        return ctx.routeType() == RouteType.REQUEST ? 1 : -1;
    }

    @Export
    public int t_is_reply_route(MessageContext ctx) {
        return (ctx.routeType() & RouteType.ONREPLY) != 0 ? 1 : -1;
    }

    @Export
    public int t_is_failure_route(MessageContext ctx) {
        return ctx.routeType() == RouteType.FAILURE ? 1 : -1;
    }

    @Export
    public int t_is_branch_route(MessageContext ctx) {
        return ctx.routeType() == RouteType.BRANCH ? 1 : -1;
    }

    /** Saves the current message flags into the transaction (failure and reply routes see them). */
    @Export
    public int t_flush_flags(MessageContext ctx) {
        Transaction t = Transaction.of(ctx);
        if (t == null) return -1;
        t.setFlags(ctx.flags);
        return 1;
    }
}
