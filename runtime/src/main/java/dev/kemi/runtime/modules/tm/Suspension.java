package dev.kemi.runtime.modules.tm;

import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.modules.sl.InternalErrors;
import dev.kemi.runtime.sip.SipMessage;

/**
 * t_suspend() / t_continue() (Kamailio's tm/t_suspend.c, request side): the transaction keeps
 * a "blind" branch that sends nothing but runs fr_timer, so a transaction nobody continues
 * times out into failure_route or a 408; t_continue() runs a route on a copy of the request as
 * it was at suspension, as a failure_route, on the worker owning the Call-ID.
 */
final class Suspension {
    private final TransactionEngine e;

    Suspension(TransactionEngine engine) {
        this.e = engine;
    }

    /** 1 suspended (or already canceled), -3 a final reply went out already, -1 error. */
    int suspend(MessageContext ctx) {
        if (!ctx.msg().isRequest()) {
            ScriptLog.log(ScriptLog.ERR, "tmx: t_suspend of a reply is not supported here");
            return -1;
        }
        TmState st = TransactionEngine.state(ctx);
        if (st.tx == null && (ctx.routeType() != RouteType.REQUEST || e.newTran(ctx) <= 0 || st.tx == null)) {
            ScriptLog.log(ScriptLog.ERR, "tmx: cannot create the transaction");
            return -1;
        }
        Transaction t = st.tx;
        if (t.cancel.canceled) {
            InternalErrors.record(ctx, TmErrors.E_CANCELED);
            return 1;
        }
        if (t.uas.status >= 200) return -3;
        if (t.invite && t.settings.autoInv100 && t.uas.status < 100) e.replyLocal(t, 100, e.cfg.autoInv100Reason);
        if (t.snapshot == null) t.snapshot = new RequestSnapshot(ctx.msg().copy(), ctx.dstUri());
        t.flags = ctx.flags();
        // the blind branch: counts as pending, never sent; its fr timer ends a forgotten suspension
        Branch b = new Branch(t.branches.size(), TransactionTable.viaBranch(t.id, t.branches.size()));
        b.sent = true;
        t.branches.add(b);
        b.fr = e.scheduler.schedule(t.callId, t.settings.frTimeout, () -> e.replies.branchTimeout(t, b));
        t.suspend.blind = b;
        t.suspend.ruriNew = st.ruriNew(ctx.msg());
        t.suspend.suspended = true;
        // the script is done with the message but not with the transaction: no post-script release
        st.released = true;
        return 1;
    }

    /** -1 no such transaction, -2 not suspended, 1 resumed (or nothing left to resume). */
    int resume(int index, int label, String route) {
        Transaction t = e.table.byLabel(index, label);
        if (t == null) {
            ScriptLog.log(ScriptLog.WARN, "tmx: active transaction not found");
            return -1;
        }
        if (!t.suspend.suspended) {
            ScriptLog.log(ScriptLog.WARN, "tmx: transaction is not suspended [" + index + ":" + label + "]");
            return -2;
        }
        e.services.runOnWorker(t.callId, () -> run(t, route));
        return 1;
    }

    private void run(Transaction t, String route) {
        if (t.life.deleted || !t.suspend.suspended) return;
        t.suspend.suspended = false;
        if (t.cancel.canceled) return;
        Branch blind = t.suspend.blind;
        if (blind != null) {
            blind.stopTimers();
            if (blind.lastReceived != 0) return; // timed out already
            // final but never the winner: the route decides what goes upstream
            blind.lastReceived = 500;
            blind.dropped = true;
        }
        SipMessage req = t.snapshot != null ? t.snapshot.msg().copy() : t.requestCtx.msg().copy();
        MessageContext f = new MessageContext(req, t.requestCtx.received(), e.services);
        f.routeType(RouteType.FAILURE);
        f.setDstUri(t.snapshot != null ? t.snapshot.dstUri() : null);
        f.setFlags(t.flags);
        f.setForwardNoConnect(t.requestCtx.forwardNoConnect());
        f.setForwardClose(t.requestCtx.forwardClose());
        TmState st = new TmState();
        st.tx = t;
        st.branch = blind == null ? -1 : blind.index;
        if (!t.suspend.ruriNew) st.consumeRuri(req);
        st.attachTo(f);
        e.services.script().onNamedRoute(RouteType.REQUEST, route, f);
        t.flags = f.flags();
        if (t.uas.status < 200 && t.pendingBranches() == 0) {
            // nothing forwarded and no final sent: the error of the route, else a 500
            int err = st.tmError != 0 ? st.tmError : TmErrors.E_UNSPEC;
            if (e.replyLocal(t, InternalErrors.sipCode(err), TmErrors.reason(err)) <= 0) e.replies.putOnWait(t);
        }
    }
}
