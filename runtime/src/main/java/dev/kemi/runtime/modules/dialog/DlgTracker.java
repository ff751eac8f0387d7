package dev.kemi.runtime.modules.dialog;

import dev.kemi.api.Pv;
import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.modules.rr.RrModule;
import dev.kemi.runtime.modules.tm.Branch;
import dev.kemi.runtime.modules.tm.Transaction;
import dev.kemi.runtime.sip.NameAddr;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.transport.ReceiveInfo;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Kamailio's dlg_handlers: dialogs created from initial INVITEs, moved through their states by
 * tm's replies (early, confirmed) and by in-dialog requests matched through the rr cookie or
 * Call-ID and tags (ACK, BYE), ended by their lifetime (with BYEs both ways if asked), and the
 * dialog:start/end/failed event routes.
 */
final class DlgTracker {
    private static final int EV_TDEL = 0, EV_RPL1XX = 1, EV_RPL2XX = 2, EV_RPL3XX = 3, EV_REQACK = 4, EV_REQBYE = 5,
            EV_REQPRACK = 6, EV_REQ = 7;

    final DlgConfig cfg;
    final DlgTable table;
    final DlgProfiles profiles;
    final List<DialogApi.Listener> listeners = new CopyOnWriteArrayList<>();
    private final ProxyServices services;
    private final RrModule rr;
    private final DlgRequests requests;
    private final Pv timeoutPv;
    /** The dialog table's database (db_mode 1-3), else null. */
    DlgDb store;
    final LongAdder active = new LongAdder(), early = new LongAdder(), processed = new LongAdder(),
            expired = new LongAdder(), failed = new LongAdder();

    DlgTracker(DlgConfig cfg, DlgProfiles profiles, ProxyServices services, RrModule rr, DlgRequests requests, Pv timeoutPv) {
        this.cfg = cfg;
        this.profiles = profiles;
        this.services = services;
        this.rr = rr;
        this.requests = requests;
        this.timeoutPv = timeoutPv;
        this.table = new DlgTable(cfg.hashSize, cfg.hIdStart, cfg.hIdStep);
    }

    static long now() {
        return System.currentTimeMillis() / 1000;
    }

    // ------------------------------------------------------------------ message -> dialog

    /** What a message is matched to its dialog by; toTag "" when it has none. */
    record Ids(String callId, String fromTag, String toTag) {}

    /** A dialog's state before and after an event. */
    private record StateChange(int old, int now) {}

    /** Call-ID, From-tag, To-tag of a request; null when they cannot be read (pre_match_parse). */
    static Ids ids(SipMessage m) {
        try {
            NameAddr from = m.from(), to = m.to();
            String cid = m.callId();
            if (from == null || to == null || cid == null) return null;
            String ftag = from.tag();
            if (ftag == null || ftag.isEmpty()) return null;
            String ttag = to.tag();
            return new Ids(cid.trim(), ftag, ttag == null ? "" : ttag);
        } catch (SipParseException e) {
            return null;
        }
    }

    /** dlg_get_msg_dialog: the context's dialog, its transaction's, or the one its Call-ID and tags match. */
    Dialog dialogOf(MessageContext ctx) {
        DlgCtx c = DlgCtx.peek(ctx);
        if (c != null && c.dlg != null) return c.dlg;
        Transaction t = Transaction.of(ctx);
        if (t != null && t.requestContext() != ctx) {
            DlgCtx tc = DlgCtx.peek(t.requestContext());
            if (tc != null && tc.dlg != null) return tc.dlg;
        }
        Ids id = ids(t != null ? t.request() : ctx.msg());
        return id == null ? null : table.find(id.callId(), id.fromTag(), id.toTag(), null);
    }

    // ------------------------------------------------------------------ creation

    /** dlg_manage(): a new dialog for an initial INVITE, or the in-dialog handling without the rr cookie. */
    int manage(MessageContext ctx) {
        Ids id = ids(ctx.msg());
        if (id == null) {
            ScriptLog.log(ScriptLog.ERR, "dialog: bad TO header");
            return -1;
        }
        if (!id.toTag().isEmpty()) {
            onRoute(ctx, null, true);
            return 1;
        }
        Transaction t = Transaction.of(ctx);
        if (newDialog(ctx, cfg.initialCbsInscript) != 0) return -1;
        DlgCtx c = DlgCtx.peek(ctx);
        if (c == null || c.dlg == null) return -1;
        if (t != null && c.created) c.dlg.dflags |= Dialog.FLAG_TM;
        return 1;
    }

    /** dlg_new_dialog: 0 created or spiral, -1 not created. */
    int newDialog(MessageContext ctx, boolean runCallbacks) {
        DlgCtx c = DlgCtx.of(ctx);
        if (c.dlg != null) return -1;
        SipMessage m = ctx.msg();
        if (!"INVITE".equals(m.method())) return -1;
        Ids id = ids(m);
        if (id == null) {
            ScriptLog.log(ScriptLog.WARN, "dialog: pre-matching failed");
            return -1;
        }
        if (!id.toTag().isEmpty()) return -1;
        if (cfg.detectSpirals) {
            Dialog s = table.find(id.callId(), id.fromTag(), "", null);
            if (s != null && s.state != Dialog.DELETED && s.tag[Dialog.CALLEE] == null) {
                c.dlg = s;
                return 0;
            }
        }
        NameAddr from, to;
        List<NameAddr> contacts, rrs;
        int cseq;
        try {
            from = m.from();
            to = m.to();
            contacts = m.contacts();
            rrs = m.recordRoutes();
            cseq = (int) m.cseq().value();
        } catch (SipParseException e) {
            ScriptLog.log(ScriptLog.ERR, "dialog: could not add further info to the dialog");
            return -1;
        }
        if (contacts.size() != 1) {
            ScriptLog.log(ScriptLog.ERR, "dialog: bad sip message or missing Contact hdr");
            return -1;
        }
        Dialog d = new Dialog(table.entryOf(id.callId()), id.callId(), from.uri(), to.uri(), m.requestUri().trim(), now());
        d.tag[Dialog.CALLER] = id.fromTag();
        d.cseq[Dialog.CALLER] = Integer.toString(cseq);
        d.contact[Dialog.CALLER] = contacts.get(0).uri();
        d.routeSet[Dialog.CALLER] = join(rrs);
        d.fromRrNb = rrs.size();
        d.bindAddr[Dialog.CALLER] = ctx.received() == null ? null : ctx.received().socket();
        for (var e : c.localVars.entrySet()) d.putVar(e.getKey(), e.getValue());
        c.localVars.clear();
        table.link(d);
        d.lifetime = timeout(ctx);
        d.toRoute = c.toRoute;
        d.sflags |= c.flags;
        d.iflags |= c.iflags;
        if (cfg.sendBye || c.toBye != 0) d.iflags |= Dialog.IFLAG_TIMEOUTBYE;
        if (runCallbacks) for (DialogApi.Listener l : listeners) l.created(d, ctx);
        if (cfg.matchMode != DlgConfig.MATCH_NO_ID) rr.add_rr_param(ctx, didParam(d));
        processed.increment();
        c.created = true;
        setCurrent(ctx, c, d, Dialog.DIR_DOWNSTREAM);
        return 0;
    }

    private String didParam(Dialog d) {
        return ";" + cfg.rrParam + "=" + reverseHex(d.hEntry) + "." + reverseHex(d.hId);
    }

    /** Kamailio's int2reverse_hex: hex digits, least significant first. */
    static String reverseHex(int v) {
        if (v == 0) return "0";
        StringBuilder b = new StringBuilder();
        long u = v & 0xffffffffL;
        while (u != 0) {
            b.append(Character.forDigit((int) (u & 15), 16));
            u >>>= 4;
        }
        return b.toString();
    }

    static long parseReverseHex(String s) {
        if (s.isEmpty() || s.length() > 8) return -1;
        long v = 0;
        for (int i = s.length() - 1; i >= 0; i--) {
            int dgt = Character.digit(s.charAt(i), 16);
            if (dgt < 0) return -1;
            v = (v << 4) | dgt;
        }
        return v;
    }

    /** set_current_dialog: the message now belongs to the dialog; profiles set before it was known join it. */
    private void setCurrent(MessageContext ctx, DlgCtx c, Dialog d, int dir) {
        c.dlg = d;
        c.dir = dir;
        for (DlgCtx.PendingProfile p : c.pendingProfiles) {
            profiles.link(d, p.profile(), p.value());
            d.dflags |= Dialog.FLAG_CHANGED_PROF;
        }
        c.pendingProfiles.clear();
    }

    private int timeout(MessageContext ctx) {
        if (timeoutPv != null) {
            Object v = timeoutPv.get(ctx);
            if (v instanceof Integer i && i > 0) return i;
        }
        return cfg.defaultTimeout;
    }

    private static String join(List<NameAddr> l) {
        if (l.isEmpty()) return "";
        List<String> s = new ArrayList<>();
        for (NameAddr a : l) s.add(a.text());
        return String.join(",", s);
    }

    /** After request_route: a dialog created here that no transaction took is dropped (profile_cleanup). */
    void afterRequestRoute(MessageContext ctx) {
        DlgCtx c = DlgCtx.peek(ctx);
        if (c == null) return;
        c.pendingProfiles.clear();
        Dialog d = c.dlg;
        if (c.created && d != null && (d.dflags & Dialog.FLAG_TM) == 0 && d.state == Dialog.UNCONFIRMED) destroy(d);
    }

    /** tm created a transaction for the request (TMCB_REQUEST_IN): dlg_flag creates the dialog, an existing one is tied to it. */
    void requestIn(MessageContext ctx) {
        if (!"INVITE".equals(ctx.msg().method())) return;
        DlgCtx c = DlgCtx.peek(ctx);
        if ((c == null || c.dlg == null) && cfg.dlgFlag >= 0 && ctx.isFlagSet(cfg.dlgFlag)) {
            newDialog(ctx, true);
            c = DlgCtx.peek(ctx);
        }
        if (c != null && c.dlg != null && c.created) c.dlg.dflags |= Dialog.FLAG_TM;
    }

    // ------------------------------------------------------------------ replies of the initial INVITE

    /** The dialog the transaction's initial INVITE created, or null. */
    private static Dialog createdBy(Transaction t) {
        DlgCtx c = DlgCtx.peek(t.requestContext());
        return c != null && c.created && c.dlg != null && t.method().equals("INVITE") ? c.dlg : null;
    }

    /** dlg_onreply on TMCB_RESPONSE_READY: a reply to the initial INVITE is about to go upstream. */
    void replyOut(Transaction t, int code, SipMessage reply, Branch winner) {
        Dialog d = createdBy(t);
        if (d == null) return;
        int event = code < 200 ? EV_RPL1XX : code < 300 ? EV_RPL2XX : EV_RPL3XX;
        StateChange st = transition(d, event);
        int old = st.old(), now = st.now();
        if (now == Dialog.DELETED && old != Dialog.DELETED) d.endTs = now();
        runEvent(d, reply, t, old, now);
        if (now == Dialog.EARLY) {
            if (old != Dialog.EARLY) early.increment();
            return;
        }
        if (now == Dialog.CONFIRMED_NA && old != Dialog.CONFIRMED_NA && old != Dialog.CONFIRMED) {
            if (reply != null) calleeLeg(d, reply, winner);
            else ScriptLog.log(ScriptLog.ERR, "dialog: Faked reply!");
            d.startTs = now();
            d.dflags |= Dialog.FLAG_NEW;
            startTimer(d, d.lifetime);
            realtimeWrite(d);
            for (DialogApi.Listener l : listeners) l.confirmed(d);
            if (old == Dialog.EARLY) early.decrement();
            active.increment();
            return;
        }
        if (now == Dialog.DELETED && (old == Dialog.UNCONFIRMED || old == Dialog.EARLY)) {
            for (DialogApi.Listener l : listeners) l.failed(d);
            if (old == Dialog.EARLY) early.decrement();
            failed.increment();
            linger(d);
        }
    }

    /** populate_leg_info for the callee: tag, contact, route set (the reply's Record-Route reversed, without the caller's and ours). */
    private void calleeLeg(Dialog d, SipMessage reply, Branch winner) {
        try {
            NameAddr to = reply.to();
            String tag = to == null ? null : to.tag();
            if (tag == null || tag.isEmpty()) ScriptLog.log(ScriptLog.ERR, "dialog: missing TAG param in TO hdr :-/");
            d.tag[Dialog.CALLEE] = tag == null ? "" : tag;
            List<NameAddr> contacts = reply.contacts();
            if (contacts.size() == 1) d.contact[Dialog.CALLEE] = contacts.get(0).uri();
            else ScriptLog.log(ScriptLog.ERR, "dialog: bad sip message or missing Contact hdr");
            List<NameAddr> rrs = new ArrayList<>(reply.recordRoutes());
            int keep = rrs.size() - d.fromRrNb;
            int own = 0;
            // ours sit right above the caller side's entries (two with double Record-Route)
            while (own < 2 && keep - own - 1 >= 0 && isMyself(rrs.get(keep - own - 1).uri())) own++;
            if ((cfg.keepProxyRr & 1) != 0) own = 0;
            List<NameAddr> callee = keep - own > 0 ? new ArrayList<>(rrs.subList(0, keep - own)) : new ArrayList<>();
            Collections.reverse(callee);
            d.routeSet[Dialog.CALLEE] = join(callee);
        } catch (SipParseException e) {
            ScriptLog.log(ScriptLog.ERR, "dialog: could not add further info to the dialog");
        }
        d.cseq[Dialog.CALLEE] = "0";
        d.bindAddr[Dialog.CALLEE] = winner != null && winner.destination() != null ? winner.destination().socket() : null;
    }

    private boolean isMyself(String uri) {
        try {
            dev.kemi.runtime.sip.SipUri u = dev.kemi.runtime.sip.SipUri.parse(uri);
            return services.isMyself(u.host(), Math.max(u.port(), 0), null);
        } catch (SipParseException | RuntimeException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ in-dialog requests

    /** rr callback: loose_route() consumed our Route entry with these parameters. */
    void routed(MessageContext ctx, String params) {
        onRoute(ctx, params, false);
    }

    /** dlg_onroute: an in-dialog request of a known dialog moves it on (ACK confirms, BYE ends). */
    void onRoute(MessageContext ctx, String params, boolean noId) {
        DlgCtx c = DlgCtx.of(ctx);
        if (c.dlg != null) return;
        Ids id = ids(ctx.msg());
        if (id == null || id.toTag().isEmpty()) return;
        Dialog d = null;
        int[] dir = {Dialog.DIR_NONE};
        int mode = noId ? DlgConfig.MATCH_NO_ID : cfg.matchMode;
        if (mode != DlgConfig.MATCH_NO_ID) {
            String val = param(params, cfg.rrParam);
            if (val == null) {
                if (mode == DlgConfig.MATCH_STRICT_ID) return;
            } else {
                int dot = val.indexOf('.');
                long he = dot < 0 ? -1 : parseReverseHex(val.substring(0, dot));
                long hi = dot < 0 ? -1 : parseReverseHex(val.substring(dot + 1));
                if (he < 0 || hi < 0) {
                    ScriptLog.log(ScriptLog.ERR, "dialog: malformed rr param '" + val + "'");
                    return;
                }
                d = table.lookup((int) he, (int) hi);
                if (d == null) {
                    ScriptLog.log(ScriptLog.WARN, "dialog: unable to find dialog for " + ctx.msg().method()
                            + " with route param '" + val + "' [" + he + ":" + hi + "] and call-id '" + id.callId() + "'");
                    if (mode == DlgConfig.MATCH_STRICT_ID) return;
                } else {
                    int r = d.match(id.callId(), id.fromTag(), id.toTag());
                    if (r < 0) {
                        ScriptLog.log(ScriptLog.WARN, "dialog: tight matching failed for " + ctx.msg().method()
                                + " with callid='" + id.callId() + "'");
                        d = null;
                        if (mode == DlgConfig.MATCH_STRICT_ID) return;
                    } else {
                        dir[0] = r;
                    }
                }
            }
        }
        if (d == null) {
            d = table.find(id.callId(), id.fromTag(), id.toTag(), dir);
            if (d == null) return;
        }
        setCurrent(ctx, c, d, dir[0]);
        String method = ctx.msg().method();
        int event = switch (method) {
            case "PRACK" -> EV_REQPRACK;
            case "ACK" -> EV_REQACK;
            case "BYE" -> EV_REQBYE;
            default -> EV_REQ;
        };
        StateChange st = transition(d, event);
        int old = st.old(), now = st.now();
        c.curStatus = now;
        c.curLifetime = (int) (now() - d.startTs);
        runEvent(d, ctx, old, now);
        if (now == Dialog.DELETED && old != Dialog.DELETED) {
            d.endTs = now();
            linger(d);
        }
        if (event == EV_REQBYE && now == Dialog.DELETED && old != Dialog.DELETED) {
            stopTimer(d);
            for (DialogApi.Listener l : listeners) l.terminated(d);
            active.decrement();
            return;
        }
        if ((event == EV_REQ || event == EV_REQACK || event == EV_REQPRACK) && (now == Dialog.CONFIRMED || now == Dialog.EARLY)) {
            int to = timeout(ctx);
            if (to != cfg.defaultTimeout) d.lifetime = to;
            boolean reset = !((d.iflags & Dialog.IFLAG_TIMER_NORESET) != 0 || cfg.timeoutNoreset);
            if (now != Dialog.EARLY && (old != Dialog.CONFIRMED || reset)) {
                if (d.onTimer()) {
                    startTimer(d, d.lifetime);
                    d.dflags |= Dialog.FLAG_CHANGED;
                }
            }
            if (event != EV_REQACK) {
                refresh(d, ctx.msg(), dir[0]);
                d.dflags |= Dialog.FLAG_CHANGED;
            }
            if (old == Dialog.CONFIRMED_NA && now == Dialog.CONFIRMED) d.dflags |= Dialog.FLAG_CHANGED;
            if ((d.dflags & Dialog.FLAG_CHANGED) != 0) realtimeWrite(d);
            if (old == Dialog.CONFIRMED_NA) {
                for (DialogApi.Listener l : listeners) l.confirmed(d);
            } else if (cfg.matchMode != DlgConfig.MATCH_NO_ID) {
                rr.add_rr_param(ctx, didParam(d));
            }
        }
    }

    /** db_mode 1: the dialog's changes are written now, on this worker (as usrloc's realtime mode). */
    void realtimeWrite(Dialog d) {
        if (store != null && store.mode == DlgDb.REALTIME) store.writeNow(d);
    }

    /** The dialog leaves the table, and its rows the database. */
    private void unlink(Dialog d) {
        table.unlink(d);
        if (store != null) store.remove(d);
    }

    /**
     * A dialog loaded from the database: linked with its ids, counted, and on the timer again
     * (a timeout that passed while the proxy was down fires at once, BYEs included).
     */
    void restore(Dialog d, long timeoutAt) {
        table.restore(d);
        if (d.state == Dialog.CONFIRMED_NA || d.state == Dialog.CONFIRMED) active.increment();
        else if (d.state == Dialog.EARLY) early.increment();
        long now = now();
        if (d.state == Dialog.DELETED) {
            d.endTs = now;
            linger(d);
            return;
        }
        if (timeoutAt <= now) {
            d.lifetime = 0;
            startTimer(d, 0);
        } else {
            d.lifetime = (int) (timeoutAt - d.startTs);
            startTimer(d, (int) (timeoutAt - now));
        }
    }

    /** Contact (INVITEs) and CSeq of the leg that sent the request. */
    private static void refresh(Dialog d, SipMessage m, int dir) {
        int leg = dir == Dialog.DIR_UPSTREAM ? Dialog.CALLEE : Dialog.CALLER;
        if (dir == Dialog.DIR_NONE) return;
        try {
            if ("INVITE".equals(m.method())) {
                List<NameAddr> cs = m.contacts();
                if (cs.size() == 1) d.contact[leg] = cs.get(0).uri();
            }
            d.cseq[leg] = Long.toString(m.cseq().value());
        } catch (SipParseException e) {
            ScriptLog.log(ScriptLog.ERR, "dialog: bad sip message or missing CSeq hdr :-/");
        }
    }

    /** A parameter of ";a=b;c=d", or null. */
    static String param(String params, String name) {
        if (params == null) return null;
        for (String p : params.split(";")) {
            int eq = p.indexOf('=');
            String n = (eq < 0 ? p : p.substring(0, eq)).trim();
            if (n.equalsIgnoreCase(name)) return eq < 0 ? "" : p.substring(eq + 1).trim();
        }
        return null;
    }

    // ------------------------------------------------------------------ states

    /** next_state_dlg; leaving the profiles when the dialog is deleted. */
    private static StateChange transition(Dialog d, int event) {
        int old = d.state, s = old;
        switch (event) {
            case EV_TDEL -> {
                if (s == Dialog.UNCONFIRMED || s == Dialog.EARLY) s = Dialog.DELETED;
            }
            case EV_RPL1XX -> {
                if (s == Dialog.UNCONFIRMED || s == Dialog.EARLY) s = Dialog.EARLY;
            }
            case EV_RPL3XX -> {
                if (s == Dialog.UNCONFIRMED || s == Dialog.EARLY) s = Dialog.DELETED;
            }
            case EV_RPL2XX -> {
                if (s == Dialog.UNCONFIRMED || s == Dialog.EARLY || (s == Dialog.DELETED && (d.dflags & Dialog.FLAG_HASBYE) == 0)) {
                    s = Dialog.CONFIRMED_NA;
                }
            }
            case EV_REQACK -> {
                if (s == Dialog.CONFIRMED_NA) s = Dialog.CONFIRMED;
            }
            case EV_REQBYE -> {
                if (s == Dialog.CONFIRMED_NA || s == Dialog.CONFIRMED) {
                    d.dflags |= Dialog.FLAG_HASBYE;
                    s = Dialog.DELETED;
                }
            }
            case EV_REQPRACK -> {
                if (s == Dialog.EARLY || s == Dialog.CONFIRMED_NA) d.iflags |= Dialog.IFLAG_PRACK;
            }
            default -> { }
        }
        d.state = s;
        if (s == Dialog.DELETED && old != s) DlgProfiles.unlinkAll(d);
        return new StateChange(old, s);
    }

    /** Removes a dialog at once (never got to tm). */
    private void destroy(Dialog d) {
        stopTimer(d);
        DlgProfiles.unlinkAll(d);
        unlink(d);
    }

    /** A deleted dialog stays listed a while, as Kamailio keeps it until the ending transaction is gone. */
    private void linger(Dialog d) {
        stopTimer(d);
        services.timers().schedule(() -> services.runOnWorker(d.callId, () -> unlink(d)), cfg.lingerMs,
                TimeUnit.MILLISECONDS);
    }

    /** Runs work on a dialog from another thread (RPC, another call's worker) on its Call-ID's worker. */
    void onWorker(Dialog d, Runnable r) {
        services.runOnWorker(d.callId, r);
    }

    // ------------------------------------------------------------------ lifetime

    void startTimer(Dialog d, int seconds) {
        stopTimer(d);
        d.timeoutAt = now() + seconds;
        int gen = d.timerGen;
        d.timer = services.timers().schedule(() -> services.runOnWorker(d.callId, () -> onTimeout(d, gen)), seconds, TimeUnit.SECONDS);
    }

    private static void stopTimer(Dialog d) {
        if (d.timer != null) d.timer.cancel(false);
        d.timer = null;
        d.timeoutAt = 0;
        d.timerGen++;
    }

    /** update_dlg_timeout: a new lifetime, from now for a dialog already on the timer. */
    void updateTimeout(Dialog d, int seconds) {
        if (d.state != Dialog.UNCONFIRMED && d.state != Dialog.EARLY && d.onTimer()) startTimer(d, seconds);
        d.lifetime = seconds;
        d.dflags |= Dialog.FLAG_CHANGED;
    }

    /** dlg_ontimeout: the timeout route, then BYEs both ways (timeout_bye) or the dialog just ends. */
    private void onTimeout(Dialog d, int gen) {
        if (d.timerGen != gen || !d.onTimer()) return;
        d.timer = null;
        d.timeoutAt = 0;
        d.dflags |= Dialog.FLAG_EXPIRED;
        if (d.active()) {
            if (d.toRoute != null && !d.toRoute.isEmpty()) timeoutRoute(d);
            if ((d.iflags & Dialog.IFLAG_TIMEOUTBYE) != 0) {
                byeAll(d, null);
                expired.increment();
                return;
            }
        }
        StateChange st = transition(d, EV_REQBYE);
        int old = st.old(), now = st.now();
        runEvent(d, null, null, old, now);
        if (now == Dialog.DELETED && old != Dialog.DELETED) {
            ScriptLog.log(ScriptLog.WARN, "dialog: dlg timeout - callid: '" + d.callId + "' tags: '" + d.tag[Dialog.CALLER]
                    + "' '" + d.tag[Dialog.CALLEE] + "' ostate: " + old);
            d.endTs = now();
            for (DialogApi.Listener l : listeners) l.expired(d);
            expired.increment();
            active.decrement();
            linger(d);
        }
    }

    private void timeoutRoute(Dialog d) {
        MessageContext f = fakeContext(d);
        f.routeType(RouteType.REQUEST);
        try {
            if (cfg.eventCallback != null && !cfg.eventCallback.isEmpty()) services.script().onEvent("dialog:timeout", f);
            else services.script().onNamedRoute(RouteType.REQUEST, d.toRoute, f);
        } catch (RuntimeException e) {
            ScriptLog.log(ScriptLog.ERR, "dialog: timeout route failed: " + e);
        }
    }

    // ------------------------------------------------------------------ BYE

    /** dlg_bye_all: BYE to both legs and dialog:end now; false if either could not be sent. */
    boolean byeAll(Dialog d, String hdrs) {
        for (DialogApi.Listener l : listeners) l.terminated(d);
        boolean ok = sendBye(d, Dialog.CALLER, hdrs);
        ok &= sendBye(d, Dialog.CALLEE, hdrs);
        runEvent(d, null, null, d.state, Dialog.DELETED);
        return ok;
    }

    /** dlg_bye: BYE to one leg (once per leg). */
    boolean bye(Dialog d, int leg, String hdrs) {
        int flag = leg == Dialog.CALLER ? Dialog.FLAG_CALLERBYE : Dialog.FLAG_CALLEEBYE;
        if ((d.dflags & flag) != 0) return false;
        d.dflags |= flag;
        boolean ok = sendBye(d, leg, hdrs);
        runEvent(d, null, null, d.state, Dialog.DELETED);
        return ok;
    }

    private boolean sendBye(Dialog d, int leg, String hdrs) {
        if (!d.active()) {
            ScriptLog.log(ScriptLog.ERR, "dialog: terminating non-confirmed dialogs not supported");
            return false;
        }
        String extra = cfg.extraHdrs == null ? "" : cfg.extraHdrs;
        if (hdrs != null) extra += (extra.isEmpty() || extra.endsWith("\n") ? "" : "\r\n") + hdrs;
        d.byesPending++;
        boolean sent = requests.send(d, leg, "BYE", extra, code -> byeReply(d));
        if (!sent) {
            d.byesPending--;
            ScriptLog.log(ScriptLog.ERR, "dialog: failed to send the BYE request");
        }
        return sent;
    }

    /** bye_reply_cb: the first final ends the dialog. */
    private void byeReply(Dialog d) {
        d.byesPending--;
        StateChange st = transition(d, EV_REQBYE);
        if (st.now() == Dialog.DELETED && st.old() != Dialog.DELETED) {
            d.endTs = now();
            stopTimer(d);
            active.decrement();
            linger(d);
        }
    }

    // ------------------------------------------------------------------ event routes

    private static String eventName(int ostate, int nstate) {
        if (nstate == Dialog.CONFIRMED_NA) return "dialog:start";
        if (nstate == Dialog.DELETED) {
            if (ostate == Dialog.CONFIRMED || ostate == Dialog.CONFIRMED_NA) return "dialog:end";
            if (ostate == Dialog.UNCONFIRMED || ostate == Dialog.EARLY) return "dialog:failed";
        }
        return null;
    }

    /** dlg_run_event_route on the request being routed. */
    private void runEvent(Dialog d, MessageContext ctx, int ostate, int nstate) {
        if (ostate == nstate) return;
        String name = eventName(ostate, nstate);
        if (name == null || !services.script().has(RouteType.EVENT, name)) return;
        int saved = ctx.routeType();
        ctx.routeType(RouteType.EVENT);
        try {
            services.script().onEvent(name, ctx);
        } catch (RuntimeException e) {
            ScriptLog.log(ScriptLog.ERR, "dialog: event_route[" + name + "] failed: " + e);
        } finally {
            ctx.routeType(saved);
        }
    }

    /** dlg_run_event_route on a reply (or, without one, a stand-in request as Kamailio's faked message). */
    private void runEvent(Dialog d, SipMessage reply, Transaction t, int ostate, int nstate) {
        if (ostate == nstate) return;
        String name = eventName(ostate, nstate);
        if (name == null || !services.script().has(RouteType.EVENT, name)) return;
        MessageContext ev;
        if (reply != null && t != null) {
            ev = new MessageContext(reply, t.requestContext().received(), services);
            DlgCtx.of(ev).dlg = d;
        } else {
            ev = fakeContext(d);
        }
        ev.routeType(RouteType.EVENT);
        try {
            services.script().onEvent(name, ev);
        } catch (RuntimeException e) {
            ScriptLog.log(ScriptLog.ERR, "dialog: event_route[" + name + "] failed: " + e);
        }
    }

    /** Kamailio's faked message (an OPTIONS from you@kamailio.org) with the dialog as context. */
    private MessageContext fakeContext(Dialog d) {
        SipMessage fake = SipMessage.request("OPTIONS", "sip:you@kamailio.org", List.of("Via: SIP/2.0/UDP 127.0.0.1",
                "From: <sip:you@kamailio.org>;tag=notag", "To: <sip:you@kamailio.org>;tag=notag",
                "Call-ID: 1", "CSeq: 1 OPTIONS"), new byte[0]);
        List<ListenSocket> socks = services.sockets();
        MessageContext ev = new MessageContext(fake, new ReceiveInfo(new InetSocketAddress(0), socks.isEmpty() ? null : socks.get(0)), services);
        DlgCtx.of(ev).dlg = d;
        return ev;
    }
}
