package dev.kemi.runtime.modules.sl;

import dev.kemi.api.Export;
import dev.kemi.api.IntFallback;
import dev.kemi.api.LeadingPv;
import dev.kemi.api.Module;
import dev.kemi.runtime.core.MessageContext;

/** Stateless replies (KSR.sl). */
@Module(value = "sl", loadName = "sl")
public final class SlModule {

    /** Always stateless, even inside a transaction. */
    @Export(natives = {"sl_send_reply", "sl_reply"})
    public int sl_send_reply(MessageContext ctx, @IntFallback(500) int code, @LeadingPv String reason) {
        return LocalReply.send(ctx, code, reason);
    }

    /** Stateful through tm when the request has a transaction, else stateless. */
    @Export
    public int send_reply(MessageContext ctx, @IntFallback(500) int code, @LeadingPv String reason) {
        StatefulReplier tm = StatefulReplier.registered();
        if (tm != null) {
            int r = tm.replyIfTransaction(ctx, code, reason);
            if (r != StatefulReplier.NO_TRANSACTION) return r;
        }
        return LocalReply.send(ctx, code, reason);
    }

    /** mode 1: stateless only. */
    @Export
    public int send_reply_mode(MessageContext ctx, int code, String reason, int mode) {
        return (mode & 1) != 0 ? LocalReply.send(ctx, code, reason) : send_reply(ctx, code, reason);
    }

    /**
     * Reply for the last internal error. No internal error codes are kept, so this is sl's
     * default: 500 with its generic phrase.
     */
    @Export
    public int sl_reply_error(MessageContext ctx) {
        return LocalReply.send(ctx, 500, "I'm terribly sorry, server error occurred (1/SL)");
    }
}
