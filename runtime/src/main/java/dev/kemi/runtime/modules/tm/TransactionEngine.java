package dev.kemi.runtime.modules.tm;

import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.BranchAttrs;
import dev.kemi.runtime.core.Failures;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.modules.core.NextHop;
import dev.kemi.runtime.modules.core.SendSocket;
import dev.kemi.runtime.modules.core.StatelessForward;
import dev.kemi.runtime.modules.sl.InternalErrors;
import dev.kemi.runtime.modules.sl.LocalReply;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.Via;
import dev.kemi.runtime.transport.Destination;
import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.transport.Protocol;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The request side of tm: creating transactions, absorbing retransmissions, forwarding branches,
 * CANCEL, local replies and the post-script step. Reply processing is in {@link ReplyProcessor};
 * both share the table and the transaction timers. See {@link Transaction} for threading.
 */
final class TransactionEngine {
    final TmConfig cfg;
    final TmStats stats = new TmStats();
    /** TmEvents listeners (acc ...), added at init. */
    final java.util.List<TmEvents.Listener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    final TransactionTable table = new TransactionTable();
    final ReplyProcessor replies = new ReplyProcessor(this);
    final LocalRequests local = new LocalRequests(this);
    final Suspension suspension = new Suspension(this);
    ProxyServices services;
    TmScheduler scheduler;

    TransactionEngine(TmConfig cfg) {
        this.cfg = cfg;
    }

    void init(ProxyServices services, TmScheduler scheduler) {
        this.services = services;
        this.scheduler = scheduler;
    }

    static TmState state(MessageContext ctx) {
        return ctx.attachment(TmState.class, TmState::new);
    }

    // ------------------------------------------------------------------ matching

    /** The transaction a request belongs to (retransmission, ACK to a negative reply), or null. */
    Transaction match(SipMessage m) {
        try {
            return table.byKey(TransactionTable.requestKey(m));
        } catch (SipParseException | RuntimeException e) {
            Failures.handled("tm: match", e);
            return null;
        }
    }

    /** The INVITE transaction a CANCEL refers to, or null. */
    Transaction lookupOriginal(SipMessage cancel) {
        try {
            Transaction t = table.byKey(TransactionTable.key(cancel, "INVITE"));
            return t != null && t.invite ? t : null;
        } catch (SipParseException | RuntimeException e) {
            Failures.handled("tm: lookupOriginal", e);
            return null;
        }
    }

    /** The transaction a reply belongs to (by our Via branch) and the branch index, or null. */
    ReplyTarget replyTarget(SipMessage reply) {
        try {
            Via v = reply.topVia();
            ViaBranchId id = TransactionTable.parseViaBranch(v.branch());
            if (id == null) return null;
            Transaction t = table.byId(id.txId());
            if (t == null) return null;
            if (id.index() < 0 || id.index() >= t.branches.size()) return null;
            return new ReplyTarget(t, id.index());
        } catch (SipParseException | RuntimeException e) {
            Failures.handled("tm: replyTarget", e);
            return null;
        }
    }

    // ------------------------------------------------------------------ script-facing operations

    /** t_check_trans() per message type (kemi-api §4.2). */
    int checkTrans(MessageContext ctx) {
        int rt = ctx.routeType();
        if ((rt & (RouteType.FAILURE | RouteType.BRANCH | RouteType.BRANCH_FAILURE | RouteType.TM_ONREPLY)) != 0) return 1;
        SipMessage m = ctx.msg();
        if (!m.isRequest()) {
            ReplyTarget target = replyTarget(m);
            if (target == null) return -1;
            TmState st = state(ctx);
            st.tx = target.transaction();
            st.branch = target.branchIndex();
            st.attachTo(ctx);
            return 1;
        }
        String method = m.method();
        if ("CANCEL".equals(method)) return lookupOriginal(m) != null ? 1 : -1;
        TmState st = state(ctx);
        if (st.tx != null) return 1;
        Transaction t = match(m);
        if ("ACK".equals(method)) {
            if (t != null && t.invite && t.uas.status >= 300) {
                absorbAck(t);
                return 0;
            }
            return t != null || e2eAckMatches(m) ? 1 : -1;
        }
        if (t == null) return -1;
        retransmitReply(t);
        // the message now has its transaction, as Kamailio's set_t(): a KEMI script going on to
        // t_relay() adds a branch to it instead of answering the retransmission again
        st.tx = t;
        return 0;
    }

    /** An ACK that may belong to a 2xx of a transaction still held (Call-ID, CSeq, From tag). */
    private boolean e2eAckMatches(SipMessage ack) {
        Transaction t = table.byDialog(ack);
        return t != null && t.uas.status >= 200 && t.uas.status < 300;
    }

    /** t_newtran(): 1 created (or e2e ACK), 0 retransmission / ACK absorbed, -10 already created. */
    int newTran(MessageContext ctx) {
        TmState st = state(ctx);
        if (st.tx != null) return TmErrors.E_SCRIPT;
        SipMessage m = ctx.msg();
        String key;
        try {
            key = TransactionTable.requestKey(m);
            m.cseq();
            m.from();
            if (m.callId() == null) return TmErrors.E_BAD_REQ;
        } catch (SipParseException | RuntimeException e) {
            Failures.handled("tm: newTran", e);
            return TmErrors.E_BAD_REQ;
        }
        Transaction t = table.byKey(key);
        if ("ACK".equals(m.method())) {
            if (t != null && t.invite && t.uas.status >= 300) {
                absorbAck(t);
                return 0;
            }
            return 1;
        }
        if (t != null) {
            retransmitReply(t);
            return 0;
        }
        st.tx = create(ctx, key, st);
        return 1;
    }

    private Transaction create(MessageContext ctx, String key, TmState st) {
        Transaction t = new Transaction(table.newId(), key, ctx, scheduler.now(), newToTag(), st.routes.copy());
        st.applyAll(t, cfg);
        t.settings.fakedReplyPrio = cfg.fakedReplyPrio;
        table.add(t);
        stats.created.increment();
        stats.total.increment();
        stats.current.increment();
        t.life.lifetime = scheduler.schedule(t.callId, t.settings.maxLifetime, () -> replies.lifetimeExpired(t));
        for (TmEvents.Listener l : listeners) l.requestIn(t, ctx);
        return t;
    }

    private static String newToTag() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        HexFormat hex = HexFormat.of();
        return hex.toHexDigits(r.nextLong()) + hex.toHexDigits(r.nextLong()) + "-" + hex.toHexDigits(r.nextInt());
    }

    /**
     * t_relay() and its variants. {@code forced} replaces the URI-derived destination,
     * {@code forceProto} the protocol; {@code relayFlags} as t_relay_to_flags (1 no 100, 2 no
     * internal negative reply).
     */
    /** relay() flag of t_replicate(): replies stay here, no error reply upstream. */
    static final int REPLICATE = 1 << 16;

    int relay(MessageContext ctx, NextHop.Forced forced, Protocol forceProto, int relayFlags) {
        int rt = ctx.routeType();
        TmState st = state(ctx);
        if (rt == RouteType.FAILURE || rt == RouteType.BRANCH_FAILURE) {
            if (st.tx == null) return -1;
            int r = forward(st.tx, ctx, forced, forceProto);
            if (r <= 0) {
                failed(ctx, st, r);
                return -1;
            }
            return 1;
        }
        if (rt != RouteType.REQUEST) return 0;
        SipMessage m = ctx.msg();
        String method = m.method();
        if ("CANCEL".equals(method) && st.tx == null) {
            Transaction inv = lookupOriginal(m);
            if (inv != null) {
                int r = e2eCancel(ctx, inv);
                return r == 0 ? 1 : r;
            }
            // unmatched CANCEL (unmatched_cancel): 0 forwarded statefully like any other
            // request, 1 statelessly, 2 dropped
            if (cfg.unmatchedCancel == 1) return forwardStateless(ctx, forced, forceProto);
            if (cfg.unmatchedCancel == 2) {
                ctx.setDrop();
                return 0;
            }
        }
        if (st.tx != null) {
            if ("ACK".equals(method)) {
                absorbAck(st.tx);
                return 1;
            }
        } else {
            int nt = newTran(ctx);
            if (nt < 0) {
                InternalErrors.record(ctx, nt);
                return nt;
            }
            if (nt == 0) return 1;
            if ("ACK".equals(method)) return forwardStateless(ctx, forced, forceProto);
        }
        Transaction t = st.tx;
        if ((relayFlags & REPLICATE) != 0) t.uas.local = true;
        if ((relayFlags & 1) != 0) t.settings.autoInv100 = false;
        if ((relayFlags & 2) != 0) t.settings.disableInternalReply = true;
        if (t.invite && t.settings.autoInv100 && t.uas.status < 100) replyLocal(t, 100, cfg.autoInv100Reason);
        int r = forward(t, ctx, forced, forceProto);
        if (r <= 0) {
            failed(ctx, st, r);
            if (t.uas.local) return r;
            if (t.settings.disableInternalReply) return TmErrors.NO_INTERNAL_REPLY;
            st.errorDelayed = true;
            // t_forward_nonack: -1 when branches were built but none could be sent
            return r == TmErrors.E_SEND ? -1 : r;
        }
        return r;
    }

    /** Records a relay failure for tm's delayed error reply and for sl_reply_error(). */
    private static void failed(MessageContext ctx, TmState st, int err) {
        st.tmError = err;
        InternalErrors.record(ctx, err);
    }

    /**
     * t_forward_nonack(): one branch for the R-URI (unless already used) and one per
     * append_branch() entry. Returns 1 if at least one branch was sent, else the lowest error.
     */
    int forward(Transaction t, MessageContext src, NextHop.Forced forced, Protocol forceProto) {
        if (t.cancel.canceled) return TmErrors.E_CANCELED;
        if (t.uas.status >= 200) return TmErrors.E_UNSPEC;
        TmState st = state(src);
        if (t.snapshot == null) {
            t.snapshot = new RequestSnapshot(src.msg().copy(), src.dstUri());
            t.flags = src.flags();
        }
        List<BranchTarget> targets = new ArrayList<>(1 + src.branches().size());
        if (st.ruriNew(src.msg())) {
            targets.add(new BranchTarget(src.msg().requestUri(), src.dstUri(), src.pathVector(), SerialForking.ruriInstance(src),
                    null, src.branchFlags()));
        }
        for (int i = 0; i < src.branches().size(); i++) {
            BranchAttrs a = src.branchAttrs(i);
            targets.add(a == null ? new BranchTarget(src.branches().get(i), null, null, null, null, src.branchFlags())
                    : new BranchTarget(src.branches().get(i), a.dstUri(), a.path(), a.instance(), a.socket(), a.flags()));
        }
        st.consumeRuri(src.msg());
        src.clearBranches();
        if (targets.isEmpty()) {
            // t_forward_nonack: the R-URI used already (failure_route starts so) and no branches
            ScriptLog.log(ScriptLog.ERR, "tm: no branches for forwarding");
            return TmErrors.E_CFG;
        }
        int lowest = TmErrors.E_UNSPEC;
        int sent = 0;
        boolean sendFailed = false;
        t.drop.lastLegStart = t.branches.size();
        for (BranchTarget target : targets) {
            int r = addBranch(t, src, target, forced, forceProto);
            if (r == 1) sent++;
            else if (r == TmErrors.E_SEND) sendFailed = true;
            else lowest = Math.min(lowest, r);
        }
        // as Kamailio: E_SEND once some branch got as far as sending, else the worst build error
        if (sent == 0) return sendFailed ? TmErrors.E_SEND : lowest;
        st.forwarded = true;
        src.markForwarded();
        return 1;
    }

    private int addBranch(Transaction t, MessageContext src, BranchTarget target, NextHop.Forced forced, Protocol forceProto) {
        String uri = target.uri(), du = target.dstUri(), path = target.path();
        int idx = t.branches.size();
        Branch b = new Branch(idx, TransactionTable.viaBranch(t.id, idx));
        b.instance = target.instance();
        b.onReply = t.routes.onReply;
        b.onBranchFailure = t.routes.onBranchFailure;
        SipMessage out = src.msg().copy();
        if (uri != null && !uri.equals(out.requestUri())) out.setRequestUri(uri);
        // a contact registered through proxies (Path): reached through them, as Route headers
        if (path != null && !path.isEmpty()) out.insertHeader("Route: " + path + "\r\n");
        boolean noConnect = src.forwardNoConnect(), close = src.forwardClose();
        MessageContext bctx = null;
        b.branchFlags = src.branchFlags();
        if (t.routes.onBranch != null) {
            bctx = new MessageContext(out, src.received(), services);
            bctx.routeType(RouteType.BRANCH);
            bctx.setDstUri(du);
            bctx.setFlags(src.flags());
            bctx.setBranchFlags(target.flags());
            bctx.setScriptFlags(src.scriptFlags());
            bctx.setForwardNoConnect(noConnect);
            bctx.setForwardClose(close);
            TmState bs = new TmState();
            bs.tx = t;
            bs.branch = idx;
            bs.routeBranch = b;
            bs.attachTo(bctx);
            services.script().onNamedRoute(RouteType.BRANCH, t.routes.onBranch, bctx);
            if (bctx.isDropped()) return TmErrors.E_CFG;
            uri = out.requestUri();
            du = bctx.dstUri();
            noConnect = bctx.forwardNoConnect();
            close = bctx.forwardClose();
            b.branchFlags = bctx.branchFlags();
        }
        NextHop hop;
        try {
            hop = NextHop.resolve(du != null ? du : uri, forced, forceProto);
        } catch (NextHop.Unusable e) {
            return e.code;
        }
        // the branch's own socket (lookup() of a contact registered over it), else the message's
        ListenSocket own = target.socket() == null ? null : SendSocket.parse(services, target.socket());
        ListenSocket sock = SendSocket.select(src, own != null ? own : SendSocket.get(src), hop.proto(), hop.address().getAddress());
        if (sock == null) return TmErrors.E_NO_SOCKET;
        // received/rport, Record-Route and our Via, as for every relayed request; with the
        // request_route context that called record_route() (failure_route branches get the same)
        StatelessForward.prepareRequest(t.requestCtx, bctx, out, sock, b.viaBranch);
        b.uri = uri;
        b.dstUri = du;
        b.bytes = out.toBytes();
        b.dst = new Destination(hop.proto(), hop.address(), sock, noConnect, close);
        t.branches.add(b);
        boolean ok = services.sender().send(b.dst, b.bytes,
                () -> services.runOnWorker(t.callId, () -> replies.lateSendFailure(t, b)));
        if (!ok) return TmErrors.E_SEND;
        b.sent = true;
        if (!hop.proto().reliable()) {
            b.retrInterval = t.settings.retrT1;
            b.retr = scheduler.schedule(t.callId, b.retrInterval, () -> replies.retransmitRequest(t, b));
        }
        b.fr = scheduler.schedule(t.callId, t.settings.frTimeout, () -> replies.branchTimeout(t, b));
        return 1;
    }

    /** Stateless forwarding of an ACK that belongs to no transaction (ACK for a 2xx). */
    private int forwardStateless(MessageContext ctx, NextHop.Forced forced, Protocol forceProto) {
        SipMessage out = ctx.msg().copy();
        NextHop hop;
        try {
            hop = NextHop.resolve(NextHop.uri(ctx), forced, forceProto);
        } catch (NextHop.Unusable e) {
            return e.code;
        }
        ListenSocket sock = SendSocket.select(ctx, hop.proto(), hop.address().getAddress());
        if (sock == null) return TmErrors.E_NO_SOCKET;
        if (!out.requestUri().equals(ctx.msg().originalRequestUri())) out.setRequestUri(out.requestUri());
        StatelessForward.prepareRequest(ctx, out, sock, StatelessForward.statelessBranch(ctx.msg()));
        Destination dst = new Destination(hop.proto(), hop.address(), sock, ctx.forwardNoConnect(), ctx.forwardClose());
        if (!services.sender().send(dst, out.toBytes(), null)) return TmErrors.E_SEND;
        ctx.markForwarded();
        services.statistics().counter("core", "fwd_requests").increment(); // Kamailio's forward_request counts it
        return 1;
    }

    /** End-to-end CANCEL: CANCEL the INVITE's pending branches and answer the CANCEL with 200. */
    int e2eCancel(MessageContext ctx, Transaction inv) {
        TmState st = state(ctx);
        if (st.tx == null) {
            int nt = newTran(ctx);
            if (nt <= 0) return nt;
        }
        Transaction c = st.tx;
        inv.cancel.canceled = true;
        String reason = null;
        if (!inv.settings.noE2eCancelReason) {
            String r = ctx.msg().header("Reason");
            if (r != null) reason = "Reason: " + r;
        }
        int pending = 0;
        for (Branch b : List.copyOf(inv.branches)) {
            if (!b.pending()) continue;
            pending++;
            if (!b.cancelSent) replies.cancelBranch(inv, b, reason);
        }
        st.replied = true;
        ctx.markReplied();
        replyLocal(c, 200, pending > 0 ? "canceling" : "ok -- no more pending branches");
        return 1;
    }

    /** t_relay_cancel(): 1 not a CANCEL or no INVITE (continue), 0 handled (exit), <0 error. */
    int relayCancel(MessageContext ctx) {
        SipMessage m = ctx.msg();
        if (!"CANCEL".equals(m.method())) return 1;
        Transaction inv = lookupOriginal(m);
        if (inv == null) return 1;
        int r = e2eCancel(ctx, inv);
        return r < 0 ? r : 0;
    }

    /** t_reply() from a script: -1 no transaction or ACK; stateful reply otherwise. */
    int scriptReply(MessageContext ctx, int code, String reason) {
        SipMessage m = ctx.msg();
        Transaction t;
        int rt = ctx.routeType();
        if (m.isRequest()) {
            if ("ACK".equals(m.method())) return -1;
            t = state(ctx).tx;
            if (t == null && rt == RouteType.REQUEST) {
                t = match(m);
            }
        } else {
            t = Transaction.of(ctx);
            if (t == null) {
                ReplyTarget target = replyTarget(m);
                t = target == null ? null : target.transaction();
            }
        }
        if (t == null) return -1;
        if (code < 100 || code > 699) code = cfg.defaultCode;
        if (reason == null) reason = cfg.defaultReason;
        MessageContext from = m.isRequest() ? ctx : t.requestCtx;
        int r = replyLocal(t, code, reason, from);
        if (r > 0 && code >= 200 && m.isRequest()) {
            state(ctx).replied = true;
            ctx.markReplied();
        }
        return r;
    }

    /** A reply generated by tm; 1 sent, -1 refused (final already sent) or failed. */
    int replyLocal(Transaction t, int code, String reason) {
        return replyLocal(t, code, reason, t.requestCtx);
    }

    /**
     * A reply built from {@code ctx}'s request (the failure_route copy or the request_route
     * context: append_to_reply headers, 3xx Contacts from its destination set) with tm's To-tag.
     */
    int replyLocal(Transaction t, int code, String reason, MessageContext ctx) {
        if (t.uas.status >= 200) return -1;
        byte[] bytes;
        try {
            bytes = LocalReply.build(ctx, code, reason, code >= 180 ? t.uas.toTag : null).toBytes();
        } catch (RuntimeException e) {
            Failures.handled("tm: building the " + code + " reply", e);
            return -1;
        }
        stats.rplGenerated.increment();
        int prev = t.uas.status;
        boolean first = code >= 200 && prev < 200;
        if (first || code > 100 && code < 200) replies.ready(t, code, null);
        boolean ok = sendUpstream(t, bytes);
        t.uas.lastReply = bytes;
        t.uas.status = code;
        if (first) {
            replies.finalSent(t, code, reason, null);
            replies.cancelPending(t, null);
        }
        return ok ? 1 : -1;
    }

    /** Sends a reply to where the request came from (RFC 3261 §18.2.2; rport as Kamailio does). */
    boolean sendUpstream(Transaction t, byte[] bytes) {
        MessageContext rq = t.requestCtx;
        if (rq.received() == null) return false;
        stats.rplSent.increment();
        return services.sender().send(upstream(rq), bytes, null);
    }

    static Destination upstream(MessageContext rq) {
        ListenSocket sock = rq.received().socket();
        InetSocketAddress src = rq.received().source();
        Protocol proto = sock.proto();
        InetSocketAddress to = src;
        if (!proto.reliable()) {
            int port;
            try {
                Via v = rq.msg().topVia();
                port = v.rport() >= 0 || rq.forceRport() ? src.getPort() : v.port() > 0 ? v.port() : 5060;
            } catch (SipParseException e) {
                port = src.getPort();
            }
            to = new InetSocketAddress(src.getAddress(), port);
        }
        return new Destination(proto, to, sock, rq.replyNoConnect(), rq.replyClose());
    }

    void retransmitReply(Transaction t) {
        if (t.uas.lastReply != null) sendUpstream(t, t.uas.lastReply);
    }

    /** ACK for our negative final: stop retransmitting it and let the transaction go. */
    void absorbAck(Transaction t) {
        t.uas.acked = true;
        t.uas.stopTimers();
        replies.putOnWait(t);
    }

    /** t_release(): the script is done with the transaction. */
    int release(MessageContext ctx) {
        TmState st = state(ctx);
        if (st.tx == null) return 1;
        st.released = true;
        replies.putOnWait(st.tx);
        return 1;
    }

    /** Kamailio's t_unref(): delayed error reply, or release of an unused transaction. */
    void afterRequestRoute(MessageContext ctx) {
        TmState st = ctx.attachment(TmState.class);
        if (st == null || st.tx == null || !ctx.msg().isRequest()) return;
        Transaction t = st.tx;
        if (st.errorDelayed && !st.forwarded && !st.replied) {
            if (t.uas.status < 200 && replyLocal(t, InternalErrors.sipCode(st.tmError), TmErrors.reason(st.tmError)) > 0) return;
            replies.putOnWait(t);
        } else if (!st.forwarded && !st.replied && !st.released && t.uas.status < 200 && t.pendingBranches() == 0
                && !"ACK".equals(t.method)) {
            replies.putOnWait(t);
        }
    }
}
