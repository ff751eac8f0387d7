package dev.kemi.runtime.modules.tm;

import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.Failures;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.sl.ReplyExtras;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import java.util.List;

/**
 * The downstream side of tm: replies on branches, timers (retransmission, final response,
 * lifetime, wait), picking the best final (RFC 3261 §16.7), failure_route, CANCEL of branches
 * and relaying replies upstream.
 */
final class ReplyProcessor {
    private final TransactionEngine e;

    ReplyProcessor(TransactionEngine engine) {
        this.e = engine;
    }

    // ------------------------------------------------------------------ replies from the network

    boolean onReply(MessageContext ctx) {
        SipMessage r = ctx.msg();
        ReplyTarget target = e.replyTarget(r);
        if (target == null) return false;
        Transaction t = target.transaction();
        Branch b = target.branch();
        e.stats.rplReceived.increment();
        int code = r.status();
        b.replied = true;
        String cseqMethod;
        try {
            cseqMethod = r.cseq().method();
        } catch (SipParseException ex) {
            return true;
        }
        if ("CANCEL".equals(cseqMethod)) {
            if (b.cancelRetr != null) b.cancelRetr.cancel();
            b.cancelRetr = null;
            return true;
        }
        if (t.life.deleted || code < 100) return true;
        TmState st = new TmState();
        st.tx = t;
        st.branch = b.index;
        st.attachTo(ctx);
        for (TmEvents.Listener l : e.listeners) l.responseIn(t, ctx);
        if (b.lastReceived >= 200) {
            // a retransmitted final, the callee's final after our faked one (timeout), or a
            // 2xx after another branch's final: ACK negatives, forward every 2xx
            if (code >= 300 && t.invite) {
                if (b.ackBytes == null) sendAck(b, r);
                else e.services.sender().send(b.dst, b.ackBytes, null);
            } else if (code >= 200 && t.invite) {
                relayUpstream(t, r, code);
            }
            return true;
        }
        if (code >= 300 && t.invite) sendAck(b, r);
        if (code >= 200) b.stopTimers();
        else if (t.invite && b.retr != null) {
            b.retr.cancel();
            b.retr = null;
        }
        if (b.onReply != null) {
            int before = ctx.routeType();
            ctx.routeType(RouteType.TM_ONREPLY);
            // as Kamailio's reply_received: the route sees the transaction's flags and the
            // branch's flags, and what it sets is kept with them
            ctx.setFlags(t.flags);
            ctx.setBranchFlags(b.branchFlags);
            e.services.script().onNamedRoute(RouteType.TM_ONREPLY, b.onReply, ctx);
            t.flags = ctx.flags();
            b.branchFlags = ctx.branchFlags();
            ctx.routeType(before);
            // textopsx msg_apply_changes / change_reply_status replace the reply
            r = ctx.msg();
            code = r.status();
            if (ctx.isDropped() && code < 200) {
                provisional(t, b, code, r, false);
                return true;
            }
        }
        if (code < 200) {
            provisional(t, b, code, r, true);
            return true;
        }
        b.lastReceived = code;
        b.finalReply = r;
        if (code >= 300 && b.onBranchFailure != null) {
            ctx.routeType(RouteType.BRANCH_FAILURE);
            e.services.script().onNamedRoute(RouteType.BRANCH_FAILURE, b.onBranchFailure, ctx);
        }
        branchFinal(t, b, code);
        return true;
    }

    private void sendAck(Branch b, SipMessage reply) {
        try {
            b.ackBytes = TmMessages.ack(b, reply);
            e.services.sender().send(b.dst, b.ackBytes, null);
        } catch (SipParseException | RuntimeException ex) {
            Failures.handled("tm: sendAck", ex);
            b.ackBytes = null;
        }
    }

    private void provisional(Transaction t, Branch b, int code, SipMessage r, boolean relay) {
        int previous = b.lastReceived;
        if (code > previous) b.lastReceived = code;
        if (t.invite && code >= 180 && (previous < 180 || e.cfg.restartFrOnEachReply != 0) && b.fr != null) {
            b.fr.cancel();
            b.fr = e.scheduler.schedule(t.callId, t.settings.frInvTimeout, () -> branchTimeout(t, b));
        }
        if (b.cancelPending && !b.cancelSent) sendCancel(t, b, b.cancelReason);
        if (relay && code > 100 && t.uas.status < 200) relayUpstream(t, r, code);
    }

    // ------------------------------------------------------------------ timers

    void retransmitRequest(Transaction t, Branch b) {
        b.retr = null;
        if (t.life.deleted || !b.pending() || (t.invite && b.lastReceived >= 100)) return;
        e.services.sender().send(b.dst, b.bytes, null);
        b.retrInterval = !t.invite && b.lastReceived >= 100 ? t.settings.retrT2 : Math.min(b.retrInterval * 2, t.settings.retrT2);
        b.retr = e.scheduler.schedule(t.callId, b.retrInterval, () -> retransmitRequest(t, b));
    }

    void branchTimeout(Transaction t, Branch b) {
        b.fr = null;
        if (t.life.deleted || !b.pending()) return;
        b.timedOut = true;
        if (silentTimeout(t, b)) {
            b.stopTimers();
            b.lastReceived = 408;
            t.uas.status = 408;
            putOnWait(t);
            return;
        }
        fakeReply(t, b, 408, TmErrors.text(408));
    }

    /**
     * noisy_ctimer=0: an INVITE with one branch that never answered and no failure_route ends
     * without any reply upstream.
     */
    private boolean silentTimeout(Transaction t, Branch b) {
        return e.cfg.noisyCtimer == 0 && t.invite && t.branches.size() == 1 && t.routes.onFailure == null
                && b.lastReceived == 0;
    }

    void lateSendFailure(Transaction t, Branch b) {
        if (t.life.deleted || !b.pending()) return;
        fakeReply(t, b, -TmErrors.E_SEND, TmErrors.reason(TmErrors.E_SEND));
    }

    void lifetimeExpired(Transaction t) {
        t.life.lifetime = null;
        if (t.life.deleted) return;
        if (t.uas.status < 200) {
            for (Branch b : List.copyOf(t.branches)) {
                if (b.pending()) {
                    b.timedOut = true;
                    fakeReply(t, b, 408, TmErrors.text(408));
                }
            }
            if (t.uas.status < 200 && t.pendingBranches() == 0) e.replyLocal(t, 408, TmErrors.text(408));
        } else {
            putOnWait(t);
        }
    }

    /** A final the branch did not receive (timeout, send failure): CANCEL it if it rang. */
    private void fakeReply(Transaction t, Branch b, int code, String reason) {
        b.stopTimers();
        if (t.invite && b.lastReceived >= 100 && !b.cancelSent) sendCancel(t, b, null);
        b.lastReceived = code;
        b.finalReply = null;
        b.fakedReason = reason;
        branchFinal(t, b, code);
    }

    // ------------------------------------------------------------------ final replies

    private void branchFinal(Transaction t, Branch b, int code) {
        if (code < 300) {
            relayUpstream(t, b.finalReply, code);
            cancelPending(t, e.cfg.localCancelReason != 0 ? "Reason: SIP;cause=200;text=\"Call completed elsewhere\"" : null);
            return;
        }
        if (code >= 600 && !t.settings.disable6xx && !t.cancel.got6xx) {
            t.cancel.got6xx = true;
            cancelPending(t, null);
        }
        if (!t.allBranchesFinal()) return;
        if (t.uas.status >= 200) {
            putOnWait(t);
            return;
        }
        allNegative(t);
    }

    /** Every branch has a negative final: failure_route if armed, else the best reply goes upstream. */
    private void allNegative(Transaction t) {
        Branch w = pick(t);
        if (w == null) return;
        if (!e.listeners.isEmpty()) {
            int code = w.lastReceived;
            String reason = w.finalReply != null ? w.finalReply.reason() : w.fakedReason != null ? w.fakedReason : TmErrors.text(code);
            for (TmEvents.Listener l : e.listeners) l.onFailure(t, code, reason, w.finalReply, w);
        }
        if (t.routes.onFailure != null) {
            String name = t.routes.onFailure;
            t.routes.onFailure = null;
            int branchCount = t.branches.size();
            int legStart = t.drop.lastLegStart;
            t.drop.mode = e.cfg.failureReplyMode;
            runFailureRoute(t, w, name);
            dropReplies(t, branchCount, legStart);
            if (t.uas.status >= 200) {
                if (t.pendingBranches() == 0 && !t.invite) putOnWait(t);
                return;
            }
            if (t.pendingBranches() > 0) return;
            w = pick(t);
        }
        relayFinal(t, w);
    }

    /**
     * After failure_route, as Kamailio's t_reply.c: mode 3 drops the replies so far when the route
     * started a new leg, 1 drops them all, 2 those of the last leg; 0 keeps them (then a new leg's
     * failure may again pick an older leg's reply).
     */
    private static void dropReplies(Transaction t, int branchCount, int legStart) {
        int mode = t.drop.mode;
        if (mode == DropReplies.KEEP || (mode == DropReplies.ALL_IF_NEW_LEG && t.branches.size() <= branchCount)) return;
        for (int i = mode == DropReplies.LAST_LEG ? legStart : 0; i < branchCount; i++) t.branches.get(i).dropped = true;
    }

    private void runFailureRoute(Transaction t, Branch w, String name) {
        SipMessage req = t.snapshot != null ? t.snapshot.msg().copy() : t.requestCtx.msg().copy();
        MessageContext f = new MessageContext(req, t.requestCtx.received(), e.services);
        f.routeType(RouteType.FAILURE);
        f.setDstUri(t.snapshot != null ? t.snapshot.dstUri() : null);
        f.setFlags(t.flags);
        f.setForwardNoConnect(t.requestCtx.forwardNoConnect());
        f.setForwardClose(t.requestCtx.forwardClose());
        TmState st = new TmState();
        st.tx = t;
        st.branch = w.index;
        // as Kamailio's faked environment: the R-URI is used already until the route sets it
        st.consumeRuri(req);
        st.attachTo(f);
        e.services.script().onNamedRoute(RouteType.FAILURE, name, f);
        t.flags = f.flags();
    }

    /** The branch a reply sent upstream came from; for a local negative reply the picked one. */
    private static Branch winner(Transaction t, SipMessage reply, int code) {
        if (reply != null) {
            for (Branch b : t.branches) if (b.finalReply == reply) return b;
            return null;
        }
        return code >= 300 ? pick(t) : null;
    }

    /** Lowest response class wins, 6xx first; within 4xx the ones a UAC can act on (RFC 3261 §16.7). */
    static int priority(int code) {
        int cls = code / 100;
        int xx = code % 100;
        return switch (cls) {
            case 2, 6 -> xx;
            case 3 -> 1000 + xx;
            case 4 -> 4000 + (xx == 1 || xx == 7 || xx == 15 || xx == 20 || xx == 84 ? xx : 100 + xx);
            case 5 -> 5000 + xx;
            default -> 32000;
        };
    }

    /** Branches with a received (not dropped) 401 or 407, as Kamailio's auth_reply_count. */
    private static int challenged(Transaction t) {
        int n = 0;
        for (Branch b : t.branches) {
            if (!b.dropped && b.finalReply != null && (b.lastReceived == 401 || b.lastReceived == 407)) n++;
        }
        return n;
    }

    /**
     * aggregate_challenges: tm's own 401/407 carrying the WWW-Authenticate and Proxy-Authenticate
     * headers of every challenged branch (RFC 3261 §16.7 step 7), as Kamailio's reply_aggregate_auth.
     */
    private void aggregateChallenges(Transaction t, int code) {
        ReplyExtras extras = ReplyExtras.of(t.requestCtx);
        int before = extras.headers.size();
        for (Branch b : t.branches) {
            if (b.dropped || b.finalReply == null || (b.lastReceived != 401 && b.lastReceived != 407)) continue;
            for (String v : b.finalReply.headers("WWW-Authenticate")) extras.headers.add("WWW-Authenticate: " + v);
            for (String v : b.finalReply.headers("Proxy-Authenticate")) extras.headers.add("Proxy-Authenticate: " + v);
        }
        try {
            e.replyLocal(t, code, TmErrors.text(code));
        } finally {
            extras.headers.subList(before, extras.headers.size()).clear();
        }
    }

    /** A branch's final by its priority; tm's own (no received reply) with faked_reply_prio added. */
    private static int priority(Transaction t, Branch b) {
        return priority(b.lastReceived) + (b.finalReply == null ? t.settings.fakedReplyPrio : 0);
    }

    /** The branch whose final goes upstream; replies dropped by t_drop_replies() only if nothing else. */
    static Branch pick(Transaction t) {
        Branch best = pick(t, false);
        return best != null ? best : pick(t, true);
    }

    private static Branch pick(Transaction t, boolean withDropped) {
        Branch best = null;
        for (Branch b : t.branches) {
            if (!b.sent || b.lastReceived < 200 || (b.dropped && !withDropped)) continue;
            if (best == null || priority(t, b) < priority(t, best)) best = b;
        }
        return best;
    }

    private void relayFinal(Transaction t, Branch w) {
        int code = w.lastReceived;
        if (t.uas.local) {
            keepLocal(t, code);
            return;
        }
        if ((code == 401 || code == 407) && e.cfg.aggregateChallenges != 0 && challenged(t) > 1) {
            aggregateChallenges(t, code);
            return;
        }
        if (w.finalReply != null && !(code == 503 && e.cfg.remap503To500 != 0)) {
            relayUpstream(t, w.finalReply, code);
        } else if (code == 503 && w.finalReply != null) {
            // RFC 3261 §16.7: a 503 is not passed on; Kamailio answers 500 with the 503's reason
            e.replyLocal(t, 500, w.finalReply.reason());
        } else {
            e.replyLocal(t, code, w.fakedReason != null ? w.fakedReason : TmErrors.text(code));
        }
    }

    /** Forwards a downstream reply upstream without our Via. */
    private void relayUpstream(Transaction t, SipMessage r, int code) {
        if (t.uas.local) {
            keepLocal(t, code);
            return;
        }
        int prev = t.uas.status;
        // t_should_relay_response: once a final went upstream, only an INVITE's 2xx follows it
        if (prev >= 200 && !(t.invite && code >= 200 && code < 300)) return;
        r.removeTopVia();
        byte[] bytes = r.toBytes();
        boolean first = code >= 200 && prev < 200;
        if (first || code < 200) ready(t, code, r);
        e.sendUpstream(t, bytes);
        t.uas.lastReply = bytes;
        if (code > prev || prev < 200) t.uas.status = code;
        if (first) finalSent(t, code, r.reason(), r);
    }

    /** TMCB_RESPONSE_READY: before the reply's bytes leave, so nothing the UAC sends next can overtake it. */
    void ready(Transaction t, int code, SipMessage reply) {
        if (e.listeners.isEmpty()) return;
        Branch w = code >= 200 ? winner(t, reply, code) : null;
        for (TmEvents.Listener l : e.listeners) l.replyReady(t, code, reply, w);
    }

    /** A replicated request's final stops here (Kamailio's local_reply for T_IS_LOCAL_FLAG). */
    private void keepLocal(Transaction t, int code) {
        if (code < 200 || t.uas.status >= 200) return;
        t.uas.status = code;
        cancelPending(t, null);
        putOnWait(t);
    }

    /** First final reply upstream: negative INVITE finals wait for the ACK, the rest go on wait. */
    void finalSent(Transaction t, int code, String reason, SipMessage reply) {
        e.stats.completed(code);
        if (!e.listeners.isEmpty()) {
            Branch w = winner(t, reply, code);
            for (TmEvents.Listener l : e.listeners) l.responseOut(t, code, reason, reply, w);
        }
        t.life.stopLifetime();
        if (t.invite && code >= 300) {
            if (!t.requestCtx.received().socket().proto().reliable()) {
                t.uas.retrInterval = t.settings.retrT1;
                t.uas.retr = e.scheduler.schedule(t.callId, t.uas.retrInterval, () -> retransmitFinal(t));
            }
            t.uas.ackWait = e.scheduler.schedule(t.callId, e.cfg.frTimer, () -> putOnWait(t));
        } else {
            putOnWait(t);
        }
    }

    private void retransmitFinal(Transaction t) {
        t.uas.retr = null;
        if (t.life.deleted || t.uas.acked || t.life.waiting) return;
        e.sendUpstream(t, t.uas.lastReply);
        t.uas.retrInterval = Math.min(t.uas.retrInterval * 2, t.settings.retrT2);
        t.uas.retr = e.scheduler.schedule(t.callId, t.uas.retrInterval, () -> retransmitFinal(t));
    }

    // ------------------------------------------------------------------ CANCEL

    /** CANCELs every pending INVITE branch (after a 2xx, a 6xx or a local final). */
    void cancelPending(Transaction t, String reason) {
        if (!t.invite) return;
        for (Branch b : List.copyOf(t.branches)) {
            if (b.pending() && !b.cancelSent && !b.cancelPending) cancelBranch(t, b, reason);
        }
    }

    /** CANCEL now if the branch had a provisional, else once one arrives (cancel_b_method 1). */
    void cancelBranch(Transaction t, Branch b, String reason) {
        if (!t.invite) return;
        if (b.lastReceived >= 100 || e.cfg.cancelBMethod == 2) {
            sendCancel(t, b, reason);
        } else if (e.cfg.cancelBMethod == 0) {
            fakeReply(t, b, 487, TmErrors.text(487));
        } else {
            b.cancelPending = true;
            b.cancelReason = reason;
        }
    }

    private void sendCancel(Transaction t, Branch b, String reason) {
        b.cancelSent = true;
        b.cancelPending = false;
        try {
            b.cancelBytes = TmMessages.cancel(b, reason);
        } catch (SipParseException | RuntimeException ex) {
            Failures.handled("tm: sendCancel", ex);
            return;
        }
        e.services.sender().send(b.dst, b.cancelBytes, null);
        if (!b.dst.proto().reliable()) new CancelRetransmission(t, b).start();
    }

    /** Retransmits a branch's CANCEL over UDP, doubling up to T2, for at most fr_timer (RFC 3261 §17.1.2). */
    private final class CancelRetransmission implements Runnable {
        private final Transaction t;
        private final Branch b;
        private final long deadline;
        private long interval;

        CancelRetransmission(Transaction t, Branch b) {
            this.t = t;
            this.b = b;
            this.interval = t.settings.retrT1;
            this.deadline = e.scheduler.now() + e.cfg.frTimer;
        }

        void start() {
            b.cancelRetr = e.scheduler.schedule(t.callId, interval, this);
        }

        @Override
        public void run() {
            b.cancelRetr = null;
            if (t.life.deleted || e.scheduler.now() >= deadline) return;
            e.services.sender().send(b.dst, b.cancelBytes, null);
            interval = Math.min(interval * 2, t.settings.retrT2);
            start();
        }
    }

    // ------------------------------------------------------------------ end of life

    /** Completed: keep absorbing retransmissions for wt_timer, then free. */
    void putOnWait(Transaction t) {
        if (t.life.waiting || t.life.deleted) return;
        t.life.waiting = true;
        e.stats.waiting.increment();
        t.life.stopLifetime();
        shed(t);
        t.life.waitTimer = e.scheduler.schedule(t.callId, e.cfg.wtTimer, () -> delete(t));
    }

    /**
     * Lets go of what only a live transaction needs, so that the wait (wt_timer, 5 s by default)
     * keeps little more than what matches retransmissions and answers them: at 500 calls/s some
     * 5 000 transactions wait, and every byte they keep is copied by each young collection (the
     * pauses behind the per-hop p99.9). Dropped: the request's decoded headers (decoded again if
     * asked for), the request as first forwarded (failure_route's copy), the parsed finals, and
     * a branch's sent request once nothing is left to build from it (a received final: its ACK
     * is built already, a 2xx needs none; a branch still pending or with a faked final keeps it
     * for a CANCEL or a late final's ACK).
     */
    private static void shed(Transaction t) {
        t.requestCtx.msg().dropCaches();
        t.snapshot = null;
        for (Branch b : t.branches) {
            if (b.finalReply != null && (!t.invite || b.lastReceived < 300 || b.ackBytes != null)) b.bytes = null;
            b.finalReply = null;
        }
    }

    private void delete(Transaction t) {
        if (t.life.deleted) return;
        t.life.deleted = true;
        e.table.remove(t);
        for (Branch b : t.branches) {
            b.stopTimers();
            if (b.cancelRetr != null) b.cancelRetr.cancel();
        }
        t.uas.stopTimers();
        t.life.stopLifetime();
        e.stats.waiting.decrement();
        e.stats.current.decrement();
        e.stats.freed.increment();
    }
}
