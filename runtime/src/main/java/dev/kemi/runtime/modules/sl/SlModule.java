package dev.kemi.runtime.modules.sl;

import dev.kemi.api.Export;
import dev.kemi.api.RouteType;
import dev.kemi.api.IntFallback;
import dev.kemi.api.LeadingPv;
import dev.kemi.api.Module;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.core.RuntimeModule;

/** Stateless replies (KSR.sl); send_reply() is stateful through tm when tm is loaded. */
@Module(value = "sl", loadName = "sl")
public final class SlModule implements RuntimeModule {
    /** tm's reply API, bound at init as Kamailio's sl binds tm (optional: null without tm). */
    private StatefulReplier tm;
    private ProxyServices services;

    @Override
    public void init(ProxyServices services) {
        tm = services.optionalApi(StatefulReplier.class).orElse(null);
        SlStats.register(services.statistics());
        this.services = services;
    }

    /** Counts a reply another module sent through sl (xhttp's HTTP replies, as Kamailio's xhttp sends them with sl). */
    public void countSent(int code) {
        SlStats.sent(services.statistics(), code);
    }


    /** Always stateless, even inside a transaction. */
    @Export(natives = {"sl_send_reply", "sl_reply"}, routes = RouteType.REQUEST, returns = {1, -1})
    public int sl_send_reply(MessageContext ctx, @IntFallback(500) int code, @LeadingPv String reason) {
        return LocalReply.send(ctx, code, reason);
    }

    /** Stateful through tm when the request has a transaction, else stateless. */
    @Export(routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.ONREPLY, returns = {1, -1})
    public int send_reply(MessageContext ctx, @IntFallback(500) int code, @LeadingPv String reason) {
        if (tm != null) {
            int r = tm.replyIfTransaction(ctx, code, reason);
            if (r != StatefulReplier.NO_TRANSACTION) return r;
        }
        return LocalReply.send(ctx, code, reason);
    }

    /** mode 1: stateless only. */
    @Export(routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.ONREPLY, returns = {1, -1})
    public int send_reply_mode(MessageContext ctx, int code, String reason, int mode) {
        return (mode & 1) != 0 ? LocalReply.send(ctx, code, reason) : send_reply(ctx, code, reason);
    }

    /**
     * Native: the reply for the message's last internal error (a failed t_relay or forward),
     * as err2reason_phrase() makes it: 477 "... (477/SL)" for a send failure; 500 "... (1/SL)"
     * when nothing failed.
     */
    @Export(natives = "sl_reply_error", nativeOnly = true, routes = RouteType.REQUEST, returns = {1, -1})
    public int sl_reply_error_native(MessageContext ctx) {
        return replyError(ctx, InternalErrors.last(ctx));
    }

    /**
     * KEMI: Kamailio answers with prev_ser_error, which only native actions set, so from KEMI it
     * is stale process state (500 "... (1/SL)" in practice); here always that reply.
     */
    @Export(kemiOnly = true, returns = {1, -1})
    public int sl_reply_error(MessageContext ctx) {
        return replyError(ctx, InternalErrors.E_UNSPEC);
    }

    private static int replyError(MessageContext ctx, int err) {
        if (LocalReply.send(ctx, InternalErrors.sipCode(err), InternalErrors.reason(err, "SL")) > 0) {
            SlStats.errorReply(ctx.services().statistics());
        }
        return 1;
    }
}
