package dev.kemi.runtime.modules.tm;

import dev.kemi.api.Export;
import dev.kemi.api.IntLiteral;
import dev.kemi.api.Module;
import dev.kemi.api.Param;
import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.core.ReplyHandler;
import dev.kemi.runtime.core.RequestFinisher;
import dev.kemi.runtime.core.RuntimeModule;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.modules.core.NextHop;
import dev.kemi.runtime.modules.pv.TmValues;
import dev.kemi.runtime.modules.sl.StatefulReplier;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.transport.Protocol;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/** Kamailio's tm module: stateful proxying (RFC 3261 §16-17) with tm's script functions. */
@Module(value = "tm", loadName = "tm")
public final class TmModule implements RuntimeModule, ReplyHandler, RequestFinisher, StatefulReplier, TmValues, TmEvents,
        TmUac, dev.kemi.runtime.rpc.RpcProvider {
    private static final int REQ_REPLY_FAIL_BRANCH = RouteType.REQUEST | RouteType.FAILURE | RouteType.BRANCH
            | RouteType.TM_ONREPLY;

    private final TmConfig cfg = new TmConfig();
    private final TransactionEngine engine = new TransactionEngine(cfg);
    private final Map<String, Pattern> statusPatterns = new ConcurrentHashMap<>();
    private final TmScheduler testScheduler;
    private final TmView view = new TmView();

    public TmModule() {
        this(null);
    }

    /** With a scheduler of the caller's (tests drive time by hand). */
    public TmModule(TmScheduler scheduler) {
        this.testScheduler = scheduler;
    }

    @Override
    public void init(ProxyServices services) {
        engine.init(services, testScheduler != null ? testScheduler : new ServicesScheduler(services));
    }

    /** sl's send_reply(): a stateful reply when the request has a transaction. */
    @Override
    public int replyIfTransaction(MessageContext ctx, int code, String reason) {
        return hasTransaction(ctx) ? engine.scriptReply(ctx, code, reason) : StatefulReplier.NO_TRANSACTION;
    }

    /** $T_branch_idx, $T_reply_code ... for the pv module. */
    @Override
    public Object tmValue(String name, MessageContext ctx) {
        return view.get(name, ctx);
    }

    @Override
    public void addListener(TmEvents.Listener l) {
        engine.listeners.add(l);
    }

    @Override
    public boolean request(TmUac.Request r, java.util.function.Consumer<TmUac.Reply> done) {
        return engine.local.start(r, done);
    }

    /**
     * For $T_rpl(pv): the reply being handled in reply routes, the winning received reply in
     * failure_route; null otherwise (also when the winner is tm's own 408).
     */
    public static SipMessage transactionReply(MessageContext ctx) {
        if (!ctx.msg().isRequest()) return ctx.msg();
        Transaction t = Transaction.of(ctx);
        Branch w = t == null ? null : ReplyProcessor.pick(t);
        return w == null ? null : w.finalReply;
    }

    /** In failure_route: the branch whose final reply won (Kamailio's t_get_picked_branch), or null. */
    public static Branch pickedBranch(MessageContext ctx) {
        Transaction t = Transaction.of(ctx);
        return t == null ? null : ReplyProcessor.pick(t);
    }

    /** Counters for the tm.stats RPC. */
    public TmStats stats() {
        return engine.stats;
    }

    /** Replies after the core reply_route: true when the reply belongs to a transaction. */
    @Override
    public boolean onReply(MessageContext reply) {
        return engine.local.onReply(reply) || engine.replies.onReply(reply);
    }

    /** Kamailio's post-script t_unref: delayed error reply, release of unused transactions. */
    @Override
    public void afterRequestRoute(MessageContext request) {
        engine.afterRequestRoute(request);
    }

    private boolean hasTransaction(MessageContext ctx) {
        if (Transaction.of(ctx) != null) return true;
        SipMessage m = ctx.msg();
        return m.isRequest() ? ctx.routeType() == RouteType.REQUEST && engine.match(m) != null
                : engine.replyTarget(m) != null;
    }

    // ------------------------------------------------------------------ relaying

    @Export(routes = RouteType.REQUEST | RouteType.FAILURE, returns = {1, -1})
    public int t_relay(MessageContext ctx) {
        return engine.relay(ctx, null, null, 0);
    }

    /** Native t_relay(host, port): protocol of the received request. */
    @Export(natives = "t_relay", nativeOnly = true, routes = RouteType.REQUEST | RouteType.FAILURE, returns = {1, -1})
    public int t_relay(MessageContext ctx, String host, String port) {
        return relayForced(ctx, receivedProto(ctx), host, port, 0);
    }

    @Export(kemiOnly = true, returns = {1, -1})
    public int t_relay_to_proxy(MessageContext ctx, String proxy) {
        return relayProxy(ctx, proxy, 0);
    }

    @Export(kemiOnly = true, returns = {1, -1})
    public int t_relay_to_proxy_flags(MessageContext ctx, String proxy, int flags) {
        return relayProxy(ctx, proxy, flags);
    }

    @Export(kemiOnly = true, returns = {1, -1})
    public int t_relay_to_flags(MessageContext ctx, int flags) {
        return engine.relay(ctx, null, null, flags);
    }

    @Export(kemiOnly = true, returns = {1, -1})
    public int t_relay_to_proto(MessageContext ctx, String proto) {
        Protocol p = parseProto(proto);
        return p == null ? -1 : engine.relay(ctx, null, p, 0);
    }

    @Export(kemiOnly = true, returns = {1, -1})
    public int t_relay_to_proto_addr(MessageContext ctx, String proto, String host, int port) {
        Protocol p = parseProto(proto);
        if (p == null) return -1;
        return engine.relay(ctx, new NextHop.Forced(p, host, port), null, 0);
    }

    /** Native t_relay_to(): t_relay() by another name, as in 5.6.3. */
    @Export(natives = "t_relay_to", nativeOnly = true, routes = RouteType.REQUEST | RouteType.FAILURE, returns = {1, -1})
    public int t_relay_to(MessageContext ctx) {
        return engine.relay(ctx, null, null, 0);
    }

    /** Native t_relay_to("proto:host:port"). */
    @Export(natives = "t_relay_to", nativeOnly = true, routes = RouteType.REQUEST | RouteType.FAILURE, returns = {1, -1})
    public int t_relay_to(MessageContext ctx, String target) {
        return relayProxy(ctx, target, 0);
    }

    /** Native t_relay_to("proto:host:port", flags); an empty target means the R-URI. */
    @Export(natives = "t_relay_to", nativeOnly = true, routes = RouteType.REQUEST | RouteType.FAILURE, returns = {1, -1})
    public int t_relay_to(MessageContext ctx, String target, @IntLiteral int flags) {
        if (target == null || target.isBlank() || target.equals("0")) return engine.relay(ctx, null, null, flags);
        return relayProxy(ctx, target, flags);
    }

    @Export(natives = "t_relay_to_udp", nativeOnly = true, routes = RouteType.REQUEST | RouteType.FAILURE, returns = {1, -1})
    public int t_relay_to_udp(MessageContext ctx) {
        return engine.relay(ctx, null, Protocol.UDP, 0);
    }

    @Export(natives = "t_relay_to_udp", nativeOnly = true, routes = RouteType.REQUEST | RouteType.FAILURE, returns = {1, -1})
    public int t_relay_to_udp(MessageContext ctx, String host, String port) {
        return relayForced(ctx, Protocol.UDP, host, port, 0);
    }

    @Export(natives = "t_relay_to_tcp", nativeOnly = true, routes = RouteType.REQUEST | RouteType.FAILURE, returns = {1, -1})
    public int t_relay_to_tcp(MessageContext ctx) {
        return engine.relay(ctx, null, Protocol.TCP, 0);
    }

    @Export(natives = "t_relay_to_tcp", nativeOnly = true, routes = RouteType.REQUEST | RouteType.FAILURE, returns = {1, -1})
    public int t_relay_to_tcp(MessageContext ctx, String host, String port) {
        return relayForced(ctx, Protocol.TCP, host, port, 0);
    }

    @Export(natives = "t_relay_to_tls", nativeOnly = true, routes = RouteType.REQUEST | RouteType.FAILURE, returns = {1, -1})
    public int t_relay_to_tls(MessageContext ctx) {
        return engine.relay(ctx, null, Protocol.TLS, 0);
    }

    @Export(natives = "t_relay_to_tls", nativeOnly = true, routes = RouteType.REQUEST | RouteType.FAILURE, returns = {1, -1})
    public int t_relay_to_tls(MessageContext ctx, String host, String port) {
        return relayForced(ctx, Protocol.TLS, host, port, 0);
    }

    /** tm.t_uac_start method ruri nexthop socket headers [body]: t_uac_send from the control socket. */
    @Override
    public void registerRpc(dev.kemi.runtime.rpc.RpcRegistry registry) {
        registry.register("tm.t_uac_start", p -> {
            if (p.size() < 5) throw new dev.kemi.runtime.rpc.RpcException(400, "too few parameters (" + p.size() + "/5)");
            String[] a = new String[6];
            for (int i = 0; i < p.size() && i < 6; i++) a[i] = p.get(i) == null ? "" : p.get(i).toString();
            try {
                engine.local.send(a[0], a[1], a[2], a[3], a[4], a[5] == null ? "" : a[5]);
            } catch (IllegalArgumentException e) {
                throw new dev.kemi.runtime.rpc.RpcException(400, e.getMessage());
            } catch (IllegalStateException e) {
                throw new dev.kemi.runtime.rpc.RpcException(500, "RPC/UAC error");
            }
            return null;
        });
    }

    /**
     * A request of our own (Kamailio's t_uac_send): From and To from {@code headers}, Call-ID,
     * CSeq and From tag from there or made up; "." or empty for no next hop / socket. Its replies
     * stay in tm. 1 sent, -1 invalid or not sent.
     */
    @Export(routes = RouteType.ANY, returns = {1, -1})
    public int t_uac_send(MessageContext ctx, String method, String ruri, String nexthop, String socket,
                          String headers, String body) {
        try {
            engine.local.send(method, ruri, nexthop, socket, headers, body);
            return 1;
        } catch (IllegalArgumentException | IllegalStateException e) {
            ScriptLog.log(ScriptLog.ERR, "tm: t_uac_send: " + e.getMessage());
            return -1;
        }
    }

    /**
     * A stateful copy of the request to {@code uri} (R-URI / $du when empty); its replies stay
     * here (REGISTER replication). 1 sent, negative error.
     */
    @Export(natives = "t_replicate", routes = RouteType.REQUEST, returns = {1, -1})
    public int t_replicate(MessageContext ctx, String uri) {
        if (uri == null || uri.isEmpty()) return replicate(ctx, null);
        dev.kemi.runtime.sip.SipUri u;
        try {
            u = dev.kemi.runtime.sip.SipUri.parse(uri);
        } catch (dev.kemi.runtime.sip.SipParseException e) {
            ScriptLog.log(ScriptLog.ERR, "tm: bad replicate SIP address!");
            return -1;
        }
        Protocol p = u.transport() != null ? parseProto(u.transport()) : "sips".equalsIgnoreCase(u.scheme()) ? Protocol.TLS : Protocol.UDP;
        if (p == null) return -1;
        return replicate(ctx, new NextHop.Forced(p, u.host(), u.port() > 0 ? u.port() : 0));
    }

    @Export(natives = "t_replicate", nativeOnly = true, routes = RouteType.REQUEST, returns = {1, -1})
    public int t_replicate(MessageContext ctx) {
        return replicate(ctx, null);
    }

    /** Native t_replicate(host, port): protocol of the received request. */
    @Export(natives = "t_replicate", nativeOnly = true, routes = RouteType.REQUEST, returns = {1, -1})
    public int t_replicate(MessageContext ctx, String host, String port) {
        return replicateTo(ctx, receivedProto(ctx), host, port);
    }

    @Export(natives = "t_replicate_udp", nativeOnly = true, routes = RouteType.REQUEST, returns = {1, -1})
    public int t_replicate_udp(MessageContext ctx, String host, String port) {
        return replicateTo(ctx, Protocol.UDP, host, port);
    }

    @Export(natives = "t_replicate_tcp", nativeOnly = true, routes = RouteType.REQUEST, returns = {1, -1})
    public int t_replicate_tcp(MessageContext ctx, String host, String port) {
        return replicateTo(ctx, Protocol.TCP, host, port);
    }

    @Export(natives = "t_replicate_tls", nativeOnly = true, routes = RouteType.REQUEST, returns = {1, -1})
    public int t_replicate_tls(MessageContext ctx, String host, String port) {
        return replicateTo(ctx, Protocol.TLS, host, port);
    }

    /** Native t_replicate_to("proto", "host:port"). */
    @Export(natives = "t_replicate_to", nativeOnly = true, routes = RouteType.REQUEST, returns = {1, -1})
    public int t_replicate_to(MessageContext ctx, String proto, String addr) {
        Protocol p = parseProto(proto);
        if (p == null || addr == null) return -1;
        try {
            NextHop.Forced f = NextHop.Forced.parse(addr, p);
            return replicate(ctx, new NextHop.Forced(p, f.host(), f.port()));
        } catch (NumberFormatException e) {
            return TmErrors.E_BAD_ADDRESS;
        }
    }

    private int replicateTo(MessageContext ctx, Protocol proto, String host, String port) {
        int p;
        try {
            p = port == null || port.isBlank() ? 0 : Integer.parseInt(port.trim());
        } catch (NumberFormatException e) {
            return TmErrors.E_BAD_ADDRESS;
        }
        return replicate(ctx, new NextHop.Forced(proto, host, p));
    }

    private int replicate(MessageContext ctx, NextHop.Forced to) {
        if (ctx.routeType() != RouteType.REQUEST) return -1;
        return engine.relay(ctx, to, null, TransactionEngine.REPLICATE);
    }

    /** Native only: CANCEL handling at the top of request_route (kemi-api §4.2). */
    @Export(nativeOnly = true, routes = RouteType.REQUEST, returns = {1, 0, -1})
    public int t_relay_cancel(MessageContext ctx) {
        return engine.relayCancel(ctx);
    }

    private int relayProxy(MessageContext ctx, String proxy, int flags) {
        NextHop.Forced f;
        try {
            f = NextHop.Forced.parse(proxy == null ? "" : proxy, receivedProto(ctx));
        } catch (NumberFormatException e) {
            ScriptLog.log(ScriptLog.ERR, "tm: bad port in destination '" + proxy + "'");
            return TmErrors.E_BAD_ADDRESS;
        }
        return engine.relay(ctx, f, null, flags);
    }

    private int relayForced(MessageContext ctx, Protocol proto, String host, String port, int flags) {
        int p;
        try {
            p = port == null || port.isBlank() ? 0 : Integer.parseInt(port.trim());
        } catch (NumberFormatException e) {
            return TmErrors.E_BAD_ADDRESS;
        }
        return engine.relay(ctx, new NextHop.Forced(proto, host, p), null, flags);
    }

    private static Protocol receivedProto(MessageContext ctx) {
        return ctx.received() != null ? ctx.received().socket().proto() : Protocol.UDP;
    }

    private static Protocol parseProto(String s) {
        try {
            return Protocol.parse(s);
        } catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ serial forking (t_serial.c)

    /** R-URI and branches into contacts_avp by q-value; 1 also when there is nothing to order. */
    @Export(routes = RouteType.REQUEST | RouteType.FAILURE, returns = {1, -1})
    public int t_load_contacts(MessageContext ctx) {
        return SerialForking.load(ctx, cfg, SerialForking.STANDARD);
    }

    /** Native t_load_contacts(mode): 0 standard, 1 proportional (random by q-value); else an error. */
    @Export(natives = "t_load_contacts", nativeOnly = true, routes = RouteType.REQUEST | RouteType.FAILURE, returns = {1, -1})
    public int t_load_contacts(MessageContext ctx, int mode) {
        if (mode != SerialForking.STANDARD && mode != SerialForking.PROPORTIONAL) {
            ScriptLog.log(ScriptLog.ERR, "tm: invalid load_contact mode: " + mode + ", please use 0 (standard) or 1 (proportional)");
            return -1;
        }
        return SerialForking.load(ctx, cfg, mode);
    }

    /** KEMI name as Kamailio 5.6.3 registers it (with the ki_ prefix); mode 1 proportional, else standard. */
    @Export(value = "ki_t_load_contacts_mode", kemiOnly = true, returns = {1, -1})
    public int ki_t_load_contacts_mode(MessageContext ctx, int mode) {
        return SerialForking.load(ctx, cfg, mode == SerialForking.PROPORTIONAL ? mode : SerialForking.STANDARD);
    }

    /** The next priority class from contacts_avp as R-URI and branches: 1, -2 none left, -1 error. */
    @Export(routes = RouteType.REQUEST | RouteType.FAILURE, returns = {1, -1, -2})
    public int t_next_contacts(MessageContext ctx) {
        return SerialForking.next(ctx, cfg);
    }

    /** A branch to the next flow (contact_flows_avp) of the failed branch's instance: 1, -2 none, -1 error. */
    @Export(routes = RouteType.REQUEST, returns = {1, -1, -2})
    public int t_next_contact_flow(MessageContext ctx) {
        return SerialForking.nextFlow(ctx, cfg);
    }

    // ------------------------------------------------------------------ transactions and replies

    @Export(routes = RouteType.REQUEST, returns = {1, 0, -1})
    public int t_newtran(MessageContext ctx) {
        return engine.newTran(ctx);
    }

    @Export(routes = RouteType.REQUEST | RouteType.BRANCH | RouteType.ONREPLY, returns = {1, 0, -1})
    public int t_check_trans(MessageContext ctx) {
        return engine.checkTrans(ctx);
    }

    @Export(routes = RouteType.REQUEST, returns = {1, -1})
    public int t_lookup_request(MessageContext ctx) {
        TmState st = ctx.attachment(TmState.class);
        return st != null && st.tx != null || engine.match(ctx.msg()) != null ? 1 : -1;
    }

    @Export(routes = RouteType.REQUEST, returns = {1, -1})
    public int t_lookup_cancel(MessageContext ctx) {
        return t_lookup_cancel_flags(ctx, 0);
    }

    /** Native t_lookup_cancel(1): copy the INVITE's flags to the CANCEL. */
    @Export(natives = "t_lookup_cancel", nativeOnly = true, routes = RouteType.REQUEST, returns = {1, -1})
    public int t_lookup_cancel(MessageContext ctx, @IntLiteral int flags) {
        return t_lookup_cancel_flags(ctx, flags);
    }

    @Export(kemiOnly = true, returns = {1, -1})
    public int t_lookup_cancel_flags(MessageContext ctx, int flags) {
        if (!"CANCEL".equals(ctx.msg().method())) return -1;
        Transaction inv = engine.lookupOriginal(ctx.msg());
        if (inv == null) return -1;
        if (flags != 0) ctx.setFlags(inv.flags);
        return 1;
    }

    @Export(routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.ONREPLY, returns = {1, -1})
    public int t_reply(MessageContext ctx, int code, String reason) {
        return engine.scriptReply(ctx, code, reason);
    }

    /** t_newtran() if needed, then t_reply(). */
    @Export(routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.ONREPLY, returns = {1, -1})
    public int t_send_reply(MessageContext ctx, int code, String reason) {
        if (ctx.routeType() == RouteType.REQUEST && Transaction.of(ctx) == null) {
            int r = engine.newTran(ctx);
            if (r <= 0) return r == 0 ? -1 : r;
        }
        return engine.scriptReply(ctx, code, reason);
    }

    @Export(routes = RouteType.REQUEST, returns = {1, -1})
    public int t_release(MessageContext ctx) {
        if (ctx.routeType() != RouteType.REQUEST) return -1;
        return engine.release(ctx);
    }

    @Export(routes = RouteType.REQUEST, returns = {1, -1})
    public int t_retransmit_reply(MessageContext ctx) {
        Transaction t = current(ctx);
        if (t == null || "ACK".equals(ctx.msg().method())) return -1;
        engine.retransmitReply(t);
        return 1;
    }

    // ------------------------------------------------------------------ armed routes

    @Export(routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.TM_ONREPLY | RouteType.BRANCH, returns = {1})
    public int t_on_failure(MessageContext ctx, String name) {
        String n = routeName(name);
        TmState st = TransactionEngine.state(ctx);
        if (st.tx != null) st.tx.routes.onFailure = n;
        else st.routes.onFailure = n;
        return 1;
    }

    @Export(routes = RouteType.REQUEST | RouteType.FAILURE, returns = {1})
    public int t_on_branch(MessageContext ctx, String name) {
        String n = routeName(name);
        TmState st = TransactionEngine.state(ctx);
        if (st.tx != null) st.tx.routes.onBranch = n;
        else st.routes.onBranch = n;
        return 1;
    }

    @Export(routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.TM_ONREPLY | RouteType.BRANCH, returns = {1})
    public int t_on_reply(MessageContext ctx, String name) {
        String n = routeName(name);
        TmState st = TransactionEngine.state(ctx);
        if (st.routeBranch != null) st.routeBranch.onReply = n;
        else if (st.tx != null) st.tx.routes.onReply = n;
        else st.routes.onReply = n;
        return 1;
    }

    @Export(routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.TM_ONREPLY | RouteType.BRANCH, returns = {1})
    public int t_on_branch_failure(MessageContext ctx, String name) {
        String n = routeName(name);
        TmState st = TransactionEngine.state(ctx);
        if (st.routeBranch != null) st.routeBranch.onBranchFailure = n;
        else if (st.tx != null) st.tx.routes.onBranchFailure = n;
        else st.routes.onBranchFailure = n;
        return 1;
    }

    /** "" and "0" unset an armed route, as in Kamailio. */
    private static String routeName(String name) {
        return name == null || name.isEmpty() || name.equals("0") ? null : name;
    }

    @Export(returns = {1, -1})
    public int t_is_set(MessageContext ctx, String target) {
        if (target == null || target.isEmpty()) return -1;
        TmState st = ctx.attachment(TmState.class);
        Transaction t = st == null ? null : st.tx;
        String v = switch (target.charAt(0)) {
            case 'b' -> t != null ? t.routes.onBranch : st == null ? null : st.routes.onBranch;
            case 'f' -> t != null ? t.routes.onFailure : st == null ? null : st.routes.onFailure;
            case 'o' -> t != null ? t.routes.onReply : st == null ? null : st.routes.onReply;
            default -> null;
        };
        return v != null ? 1 : -1;
    }

    // ------------------------------------------------------------------ status queries

    @Export(routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.ONREPLY, returns = {1, -1})
    public int t_check_status(MessageContext ctx, String regex) {
        Transaction t = current(ctx);
        if (t == null) return -1;
        int status;
        switch (ctx.routeType()) {
            case RouteType.REQUEST -> status = t.uas.status;
            case RouteType.TM_ONREPLY, RouteType.CORE_REPLY -> status = ctx.msg().status();
            case RouteType.FAILURE -> {
                Branch w = ReplyProcessor.pick(t);
                if (w == null) return -1;
                status = w.lastReceived;
            }
            case RouteType.BRANCH_FAILURE -> {
                Branch b = branch(ctx, t);
                if (b == null) return -1;
                status = b.lastReceived;
            }
            default -> {
                return -1;
            }
        }
        Pattern p;
        try {
            p = statusPatterns.computeIfAbsent(regex, r -> Pattern.compile(r, Pattern.CASE_INSENSITIVE));
        } catch (PatternSyntaxException e) {
            return -1;
        }
        return p.matcher(Integer.toString(status)).find() ? 1 : -1;
    }

    @Export(routes = RouteType.FAILURE | RouteType.EVENT_ROUTE, returns = {1, -1})
    public int t_branch_timeout(MessageContext ctx) {
        Transaction t = current(ctx);
        Branch b = t == null ? null : branch(ctx, t);
        return b != null && b.timedOut ? 1 : -1;
    }

    @Export(routes = RouteType.FAILURE | RouteType.EVENT_ROUTE, returns = {1, -1})
    public int t_branch_replied(MessageContext ctx) {
        Transaction t = current(ctx);
        Branch b = t == null ? null : branch(ctx, t);
        return b != null && b.replied ? 1 : -1;
    }

    @Export(routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.TM_ONREPLY | RouteType.BRANCH, returns = {1, -1})
    public int t_any_timeout(MessageContext ctx) {
        Transaction t = current(ctx);
        if (t == null) return -1;
        for (Branch b : t.branches) if (b.timedOut) return 1;
        return -1;
    }

    @Export(routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.TM_ONREPLY | RouteType.BRANCH, returns = {1, -1})
    public int t_any_replied(MessageContext ctx) {
        Transaction t = current(ctx);
        if (t == null) return -1;
        for (Branch b : t.branches) if (b.replied) return 1;
        return -1;
    }

    @Export(routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.TM_ONREPLY | RouteType.BRANCH, returns = {1, -1})
    public int t_grep_status(MessageContext ctx, int code) {
        Transaction t = current(ctx);
        if (t == null) return -1;
        for (Branch b : t.branches) if (b.lastReceived == code && b.replied) return 1;
        return -1;
    }

    @Export(routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.TM_ONREPLY | RouteType.BRANCH, returns = {1, -1})
    public int t_is_canceled(MessageContext ctx) {
        Transaction t = current(ctx);
        return t != null && t.cancel.canceled ? 1 : -1;
    }

    @Export(routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.TM_ONREPLY | RouteType.BRANCH, returns = {1, -1})
    public int t_is_expired(MessageContext ctx) {
        Transaction t = current(ctx);
        if (t == null) return -1;
        return engine.scheduler.now() - t.createdAt > t.settings.maxLifetime ? 1 : -1;
    }

    @Export(routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.BRANCH | RouteType.ONREPLY, intValue = true, returns = {-1})
    public int t_get_status_code(MessageContext ctx) {
        Transaction t = current(ctx);
        return t == null || t.uas.status == 0 ? -1 : t.uas.status;
    }

    @Export(kemiOnly = true, intValue = true, returns = {-1})
    public int t_get_branch_index(MessageContext ctx) {
        TmState st = ctx.attachment(TmState.class);
        return st == null ? -1 : st.branch;
    }

    /** The transaction of the message: the attached one, or a matching one for requests and replies. */
    private Transaction current(MessageContext ctx) {
        Transaction t = Transaction.of(ctx);
        if (t != null) return t;
        if (ctx.msg().isRequest()) return engine.match(ctx.msg());
        ReplyTarget target = engine.replyTarget(ctx.msg());
        return target == null ? null : target.transaction();
    }

    private static Branch branch(MessageContext ctx, Transaction t) {
        TmState st = ctx.attachment(TmState.class);
        int i = st == null ? -1 : st.branch;
        return i >= 0 && i < t.branches.size() ? t.branches.get(i) : null;
    }

    // ------------------------------------------------------------------ per-transaction settings

    @Export(routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.TM_ONREPLY | RouteType.BRANCH, returns = {1, -1})
    public int t_set_fr(MessageContext ctx, int frInv, int fr) {
        TmState st = TransactionEngine.state(ctx);
        st.frInvTimeout = frInv;
        st.frTimeout = fr;
        return changed(st, TmState.Setting.FR);
    }

    /** Native t_set_fr(fr_inv). */
    @Export(natives = "t_set_fr", nativeOnly = true, routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.TM_ONREPLY | RouteType.BRANCH, returns = {1, -1})
    public int t_set_fr(MessageContext ctx, int frInv) {
        TmState st = TransactionEngine.state(ctx);
        return t_set_fr(ctx, frInv, st.tx != null ? st.tx.settings.frTimeout : st.frTimeout);
    }

    @Export(kemiOnly = true, returns = {1, -1})
    public int t_set_fr_inv(MessageContext ctx, int frInv) {
        return t_set_fr(ctx, frInv);
    }

    @Export(routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.TM_ONREPLY | RouteType.BRANCH, returns = {1, -1})
    public int t_reset_fr(MessageContext ctx) {
        return t_set_fr(ctx, 0, 0);
    }

    /** Lifetimes (ms; 0 = modparam) for the transaction created for this message. */
    @Export(routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.TM_ONREPLY | RouteType.BRANCH, returns = {1, -1})
    public int t_set_max_lifetime(MessageContext ctx, int inv, int noninv) {
        TmState st = TransactionEngine.state(ctx);
        st.maxInvLifetime = inv;
        st.maxNoninvLifetime = noninv;
        return changed(st, TmState.Setting.LIFETIME);
    }

    @Export(routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.TM_ONREPLY | RouteType.BRANCH, returns = {1, -1})
    public int t_reset_max_lifetime(MessageContext ctx) {
        return t_set_max_lifetime(ctx, 0, 0);
    }

    /** Retransmission intervals T1/T2 (ms; 0 = modparam) for this message's transaction. */
    @Export(routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.TM_ONREPLY | RouteType.BRANCH, returns = {1, -1})
    public int t_set_retr(MessageContext ctx, int t1, int t2) {
        TmState st = TransactionEngine.state(ctx);
        st.retrT1 = t1;
        st.retrT2 = t2;
        return changed(st, TmState.Setting.RETR);
    }

    @Export(routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.TM_ONREPLY | RouteType.BRANCH, returns = {1, -1})
    public int t_reset_retr(MessageContext ctx) {
        return t_set_retr(ctx, 0, 0);
    }

    @Export(routes = RouteType.REQUEST, returns = {1, -1})
    public int t_set_auto_inv_100(MessageContext ctx, int on) {
        TmState st = TransactionEngine.state(ctx);
        st.autoInv100 = on;
        return changed(st, TmState.Setting.AUTO_INV_100);
    }

    @Export(routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.TM_ONREPLY | RouteType.BRANCH, returns = {1, -1})
    public int t_set_disable_internal_reply(MessageContext ctx, int on) {
        TmState st = TransactionEngine.state(ctx);
        st.disableInternalReply = on;
        return changed(st, TmState.Setting.NO_INTERNAL_REPLY);
    }

    @Export(routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.TM_ONREPLY | RouteType.BRANCH, returns = {1, -1})
    public int t_set_disable_6xx(MessageContext ctx, int on) {
        TmState st = TransactionEngine.state(ctx);
        st.disable6xx = on;
        return changed(st, TmState.Setting.DISABLE_6XX);
    }

    /** No DNS failover here (no SRV), so there is nothing to disable. */
    @Export(routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.TM_ONREPLY | RouteType.BRANCH, returns = {1})
    public int t_set_disable_failover(MessageContext ctx, int on) {
        return 1;
    }

    @Export(routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.TM_ONREPLY | RouteType.BRANCH, returns = {1, -1})
    public int t_set_no_e2e_cancel_reason(MessageContext ctx, int on) {
        TmState st = TransactionEngine.state(ctx);
        st.noE2eCancelReason = on;
        return changed(st, TmState.Setting.NO_E2E_CANCEL_REASON);
    }

    /** A t_set_* value is kept for the transaction to come and given to the current one now. */
    private int changed(TmState st, TmState.Setting s) {
        if (st.tx != null) st.apply(s, st.tx, cfg);
        return 1;
    }

    // ------------------------------------------------------------------ failure_route helpers

    @Export(kemiOnly = true, returns = {1, -1})
    public int t_drop_replies_all(MessageContext ctx) {
        return t_drop_replies(ctx, "a");
    }

    /** Native t_drop_replies() drops all. */
    @Export(natives = "t_drop_replies", nativeOnly = true, routes = RouteType.FAILURE, returns = {1, -1})
    public int t_drop_replies(MessageContext ctx) {
        return t_drop_replies(ctx, "a");
    }

    /**
     * Which replies failure_route drops when it ends (Kamailio's drop_replies): "a" (or none)
     * all so far, "l" those of the last leg, "n" none; overrides failure_reply_mode for this run.
     */
    @Export(routes = RouteType.FAILURE, returns = {1, -1})
    public int t_drop_replies(MessageContext ctx, String mode) {
        Transaction t = Transaction.of(ctx);
        if (t == null) return -1;
        char m = mode == null || mode.isEmpty() ? 'a' : mode.charAt(0);
        t.drop.mode = m == 'n' ? DropReplies.KEEP : m == 'l' ? DropReplies.LAST_LEG : DropReplies.ALL;
        return 1;
    }

    /** Headers for local CANCEL/ACK come from the sent INVITE already (reparse_invite). */
    @Export(returns = {1})
    public int t_use_uac_headers(MessageContext ctx) {
        return 1;
    }

    /** Branches are always built from a copy carrying request_route's changes. */
    @Export(routes = RouteType.REQUEST, returns = {1})
    public int t_save_lumps(MessageContext ctx) {
        return 1;
    }

    /** No asynchronous replies (t_suspend) here. */
    @Export(routes = RouteType.TM_ONREPLY, returns = {-1})
    public int t_is_retr_async_reply(MessageContext ctx) {
        return -1;
    }

    /** Nothing to clean: finished transactions free themselves after wt_timer. */
    @Export(returns = {1})
    public int t_clean(MessageContext ctx) {
        return 1;
    }

    // ------------------------------------------------------------------ for tmx

    /**
     * CANCELs branches of the message's transaction: "all", "others" (all but the branch of the
     * reply being handled) or "this". 1 done, -1 no transaction or unknown mode.
     */
    public int cancelBranches(MessageContext ctx, String which) {
        Transaction t = Transaction.of(ctx);
        if (t == null) return -1;
        TmState st = ctx.attachment(TmState.class);
        int current = st == null ? -1 : st.branch;
        for (Branch b : t.branches) {
            boolean pick = switch (which) {
                case "all" -> true;
                case "others" -> b.index != current;
                case "this" -> b.index == current;
                default -> false;
            };
            if (pick && b.pending() && !b.cancelSent) engine.replies.cancelBranch(t, b, null);
        }
        return "all".equals(which) || "others".equals(which) || "this".equals(which) ? 1 : -1;
    }

    /** Ends the transaction without a reply, recording {@code code} as if it had been sent. */
    public int dropTransaction(MessageContext ctx, int code) {
        Transaction t = Transaction.of(ctx);
        if (t == null) return -1;
        if (t.uas.status < 200) t.uas.status = code;
        TransactionEngine.state(ctx).replied = true;
        engine.replies.cancelPending(t, null);
        engine.replies.putOnWait(t);
        return 1;
    }

    /** tmx t_suspend(): 1 suspended, -3 final reply sent already, -1 error. */
    public int suspend(MessageContext ctx) {
        return engine.suspension.suspend(ctx);
    }

    /** tmx t_continue(): runs {@code route} for the suspended transaction; -1 not found, -2 not suspended. */
    public int resume(int index, int label, String route) {
        return engine.suspension.resume(index, label, route);
    }

    /** The message's transaction, created first (t_newtran) when {@code create} and in request_route; or null. */
    public Transaction transaction(MessageContext ctx, boolean create) {
        Transaction t = current(ctx);
        if (t == null && create && ctx.routeType() == RouteType.REQUEST && ctx.msg().isRequest() && engine.newTran(ctx) > 0) {
            t = Transaction.of(ctx);
        }
        return t;
    }

    /** Replies to the INVITE transaction with that Call-ID and CSeq number. */
    public int replyByCallId(String callId, String cseq, int code, String reason) {
        Transaction t = findInvite(callId, cseq);
        return t == null ? -1 : engine.replyLocal(t, code, reason);
    }

    /** CANCELs the pending branches of that INVITE transaction, as a CANCEL from upstream would. */
    public int cancelByCallId(String callId, String cseq, int flag, int reasonCode) {
        Transaction t = findInvite(callId, cseq);
        if (t == null || t.uas.status >= 200) return -1;
        // as tmx: the flag is set on the transaction's request, a code outside 100-699 means no Reason
        if (flag > 0 && flag < 32) t.flags |= 1 << flag;
        t.cancel.canceled = true;
        String reason = reasonCode >= 100 && reasonCode <= 699 ? "Reason: SIP;cause=" + reasonCode + ";text=\"" + TmErrors.text(reasonCode) + "\"" : null;
        for (Branch b : t.branches) if (b.pending() && !b.cancelSent) engine.replies.cancelBranch(t, b, reason);
        return 1;
    }

    private Transaction findInvite(String callId, String cseq) {
        return callId == null || cseq == null ? null : engine.table.findInvite(callId.trim(), cseq.trim());
    }

    // ------------------------------------------------------------------ modparams

    @Param("fr_timer") public void frTimer(int v) { cfg.frTimer = v; }

    /** xavp name for t_load_contacts() / t_next_contacts(); empty turns them off, as unset. */
    @Param("contacts_avp") public void contactsAvp(String v) { cfg.contactsAvp = v == null || v.isEmpty() ? null : v; }

    /** xavp name for t_next_contact_flow(). */
    @Param("contact_flows_avp") public void contactFlowsAvp(String v) { cfg.contactFlowsAvp = v == null || v.isEmpty() ? null : v; }

    /** For a module's own non-INVITE requests (dispatcher's keepalives). */
    public NonInviteTimers nonInviteTimers() { return new NonInviteTimers(cfg.frTimer, cfg.retrT1, cfg.retrT2); }
    @Param("fr_inv_timer") public void frInvTimer(int v) { cfg.frInvTimer = v; }
    @Param("wt_timer") public void wtTimer(int v) { cfg.wtTimer = v; }
    @Param("retr_timer1") public void retrTimer1(int v) { cfg.retrT1 = v; }
    @Param("retr_timer2") public void retrTimer2(int v) { cfg.retrT2 = v; }
    @Param("max_inv_lifetime") public void maxInvLifetime(int v) { cfg.maxInvLifetime = v; }
    @Param("max_noninv_lifetime") public void maxNoninvLifetime(int v) { cfg.maxNoninvLifetime = v; }
    @Param("noisy_ctimer") public void noisyCtimer(int v) { cfg.noisyCtimer = v; }
    @Param("auto_inv_100") public void autoInv100(int v) { cfg.autoInv100 = v; }
    @Param("auto_inv_100_reason") public void autoInv100Reason(String v) { cfg.autoInv100Reason = v; }
    @Param("restart_fr_on_each_reply") public void restartFrOnEachReply(int v) { cfg.restartFrOnEachReply = v; }
    @Param("unmatched_cancel") public void unmatchedCancel(int v) { cfg.unmatchedCancel = v; }
    @Param("default_code") public void defaultCode(int v) { cfg.defaultCode = v; }
    @Param("default_reason") public void defaultReason(String v) { cfg.defaultReason = v; }
    @Param("disable_6xx_block") public void disable6xxBlock(int v) { cfg.disable6xxBlock = v; }
    @Param("remap_503_500") public void remap503To500(int v) { cfg.remap503To500 = v; }
    @Param("local_cancel_reason") public void localCancelReason(int v) { cfg.localCancelReason = v; }
    @Param("e2e_cancel_reason") public void e2eCancelReason(int v) { cfg.e2eCancelReason = v; }
    @Param("cancel_b_method") public void cancelBMethod(int v) { cfg.cancelBMethod = v; }
    @Param("aggregate_challenges") public void aggregateChallenges(int v) { cfg.aggregateChallenges = v; }

    /** 0 keep all replies, 1 drop all, 2 drop the last leg's, 3 drop all when failure_route starts a new leg. */
    @Param("failure_reply_mode")
    public void failureReplyMode(int v) {
        if (v < 0 || v > 3) throw new IllegalArgumentException("failure_reply_mode must be 0, 1, 2 or 3, not " + v);
        cfg.failureReplyMode = v;
    }

    /** Penalty (or, negative, bonus) for tm's own replies (the 408 of a timeout) when picking the winner. */
    @Param("faked_reply_prio") public void fakedReplyPrio(int v) { cfg.fakedReplyPrio = v; }

    // What tm does here has no switch: these parameters are accepted with the value that matches
    // it (mostly Kamailio's default), anything else is refused rather than ignored.
    @Param("reparse_invite") public void reparseInvite(int v) { only("reparse_invite", v, 1, "CANCEL and ACK are always built from the INVITE sent"); }
    @Param("ruri_matching") public void ruriMatching(int v) { only("ruri_matching", v, 1, "RFC 2543 requests always match on the R-URI"); }
    @Param("via1_matching") public void via1Matching(int v) { only("via1_matching", v, 1, "RFC 2543 requests always match on the top Via"); }
    @Param("callid_matching") public void callidMatching(int v) { only("callid_matching", v, 0, "RFC 3261 matching does not compare the Call-ID"); }
    @Param("failure_exec_mode") public void failureExecMode(int v) { only("failure_exec_mode", v, 0, "a branch that cannot be sent makes t_relay() fail"); }
    @Param("pass_provisional_replies") public void passProvisionalReplies(int v) { only("pass_provisional_replies", v, 0, "no TMCB_LOCAL_RESPONSE_OUT callbacks"); }
    @Param("unix_tx_timeout") public void unixTxTimeout(int v) { only("unix_tx_timeout", v, 500, "no t_write_unix"); }
    @Param("local_ack_mode") public void localAckMode(int v) { only("local_ack_mode", v, 0, "tm sends no ACK for a 2xx of its own INVITEs"); }
    @Param("reparse_on_dns_failover") public void reparseOnDnsFailover(int v) { only("reparse_on_dns_failover", v, 1, "no DNS failover"); }
    @Param("dns_reuse_rcv_socket") public void dnsReuseRcvSocket(int v) { only("dns_reuse_rcv_socket", v, 0, "no DNS failover"); }
    @Param("blst_503") public void blst503(int v) { only("blst_503", v, 0, "no destination blocklist"); }
    @Param("blst_503_def_timeout") public void blst503DefTimeout(int v) { only("blst_503_def_timeout", v, 0, "no destination blocklist"); }
    @Param("blst_503_min_timeout") public void blst503MinTimeout(int v) { only("blst_503_min_timeout", v, 0, "no destination blocklist"); }
    @Param("blst_503_max_timeout") public void blst503MaxTimeout(int v) { only("blst_503_max_timeout", v, 3600, "no destination blocklist"); }
    @Param("blst_methods_add") public void blstMethodsAdd(int v) { only("blst_methods_add", v, 1, "no destination blocklist"); }
    @Param("blst_methods_lookup") public void blstMethodsLookup(int v) { only("blst_methods_lookup", v, ~8, "no destination blocklist"); }

    // Features tm does not have: declared so that the error names them, refused whatever the value.
    @Param("fr_timer_avp") public void frTimerAvp(String v) { unsupported("fr_timer_avp", "use t_set_fr()"); }
    @Param("fr_inv_timer_avp") public void frInvTimerAvp(String v) { unsupported("fr_inv_timer_avp", "use t_set_fr()"); }
    @Param("tw_append") public void twAppend(String v) { unsupported("tw_append", "no t_write_req/t_write_unix"); }
    @Param("on_sl_reply") public void onSlReply(String v) { unsupported("on_sl_reply", "replies without a transaction go to reply_route"); }
    @Param("xavp_contact") public void xavpContact(String v) { unsupported("xavp_contact", "usrloc keeps no per-contact xavp attributes to move"); }
    @Param("event_callback") public void eventCallback(String v) { unsupported("event_callback", "no tm:local-request events"); }
    @Param("ac_extra_hdrs") public void acExtraHdrs(String v) { unsupported("ac_extra_hdrs", "no extra headers copied into local ACK/CANCEL"); }

    private static void only(String name, int v, int supported, String why) {
        if (v != supported) {
            throw new IllegalArgumentException(name + " " + v + " is not supported (" + why + "); only " + supported + " is");
        }
    }

    private static void unsupported(String name, String why) {
        throw new IllegalArgumentException(name + " is not supported (" + why + ")");
    }
}
