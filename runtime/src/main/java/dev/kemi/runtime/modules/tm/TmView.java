package dev.kemi.runtime.modules.tm;

import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.sip.SipMessage;

/** tm's pseudo-variables for the pv module ({@link dev.kemi.runtime.modules.pv.TmValues}): $T_branch_idx, $T_reply_code, $T_reply_reason ... */
final class TmView {
    Object get(String name, MessageContext ctx) {
        TmState st = ctx.attachment(TmState.class);
        Transaction t = st == null ? null : st.tx;
        return switch (name) {
            case "T_branch_idx", "T_branch" -> st == null ? 0 : Math.max(st.branch, 0);
            case "T_reply_code" -> replyCode(ctx, t);
            case "T_reply_reason" -> replyReason(ctx, t);
            case "T_reply_last" -> lastReceived(st, t);
            case "T_reply_type" -> replyType(ctx, t);
            case "T_id" -> t == null ? null : t.id;
            default -> null;
        };
    }

    /** The reply being handled, the winning one in failure_route, else the last sent upstream. */
    private static int replyCode(MessageContext ctx, Transaction t) {
        if (!ctx.msg().isRequest()) return ctx.msg().status();
        if (t == null) return 0;
        int rt = ctx.routeType();
        if (rt == RouteType.FAILURE || rt == RouteType.BRANCH_FAILURE) {
            Branch w = ReplyProcessor.pick(t);
            return w == null ? 0 : w.lastReceived;
        }
        return t.uas.status;
    }

    private static String replyReason(MessageContext ctx, Transaction t) {
        if (!ctx.msg().isRequest()) return ctx.msg().reason();
        if (t == null || ctx.routeType() != RouteType.FAILURE) return null;
        Branch w = ReplyProcessor.pick(t);
        if (w == null) return null;
        SipMessage r = w.finalReply;
        return r != null ? r.reason() : w.fakedReason != null ? w.fakedReason : TmErrors.text(w.lastReceived);
    }

    private static int lastReceived(TmState st, Transaction t) {
        if (t == null || st.branch < 0 || st.branch >= t.branches.size()) return 0;
        return t.branches.get(st.branch).lastReceived;
    }

    /** 1 when the reply in failure_route is tm's own (timeout), 0 for a received one. */
    private static int replyType(MessageContext ctx, Transaction t) {
        if (t == null || ctx.routeType() != RouteType.FAILURE) return 0;
        Branch w = ReplyProcessor.pick(t);
        return w != null && w.finalReply == null ? 1 : 0;
    }
}
