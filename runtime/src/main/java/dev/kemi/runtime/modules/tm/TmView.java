package dev.kemi.runtime.modules.tm;

import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.sip.SipMessage;
import java.util.Map;

/** Read-only tm values for pseudo-variables ($T_branch_idx, $T_reply_code, $T_req, $T_rpl, $avp). */
public final class TmView {
    private TmView() {}

    /** $T_branch_idx: the branch the current route is about; -1 outside tm routes. */
    public static int branchIndex(MessageContext ctx) {
        TmState st = ctx.attachment(TmState.class);
        return st == null ? -1 : st.branch;
    }

    /**
     * $T_reply_code: the reply being processed (reply routes), the winning reply (failure
     * route), else the last reply sent upstream; 0 if none.
     */
    public static int replyCode(MessageContext ctx) {
        if (!ctx.msg().isRequest()) return ctx.msg().status();
        Transaction t = Transaction.of(ctx);
        if (t == null) return 0;
        if (ctx.routeType() == RouteType.FAILURE) {
            Branch w = ReplyProcessor.pick(t);
            return w == null ? 0 : w.lastReceived;
        }
        return t.uasStatus;
    }

    /** $T_req: the request of the transaction, or null. */
    public static SipMessage request(MessageContext ctx) {
        Transaction t = Transaction.of(ctx);
        return t == null ? null : t.request();
    }

    /** $T_rpl: the reply in reply routes, the winning received reply in failure route; else null. */
    public static SipMessage reply(MessageContext ctx) {
        if (!ctx.msg().isRequest()) return ctx.msg();
        Transaction t = Transaction.of(ctx);
        if (t == null) return null;
        Branch w = ReplyProcessor.pick(t);
        return w == null ? null : w.finalReply;
    }

    /** The transaction's AVPs, or null outside a transaction. */
    public static Map<String, Object> avps(MessageContext ctx) {
        Transaction t = Transaction.of(ctx);
        return t == null ? null : t.avps();
    }
}
