package dev.kemi.runtime.modules.dispatcher;

import dev.kemi.api.Pv;
import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.core.RateLimitedLog;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.modules.pv.XavpStore;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.transport.ReceiveInfo;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Destination states: ds_mark_dst, the keepalive outcomes (ds_update_state with the probing and
 * inactive thresholds), the dst-down / dst-up event routes and $dsv of the event.
 */
final class DsStates {
    /** What $dsv shows while an event route runs: code, reason, flags (1 = a received reply). */
    private record Rctx(int code, String reason, int flags) {}

    private final DispatcherModule m;
    private final ThreadLocal<Rctx> current = new ThreadLocal<>();
    private final RateLimitedLog failures = ScriptLog.throttled();

    DsStates(DispatcherModule m) {
        this.m = m;
    }

    /** ds_mark_dst: the state of the destination in the first $xavp(_dsdst_) record. */
    int mark(MessageContext ctx, int state) {
        DsConfig cfg = m.cfg;
        if (!cfg.failover()) {
            ScriptLog.log(ScriptLog.WARN, "dispatcher: failover support disabled");
            return -1;
        }
        if (cfg.xavpDst.isEmpty()) {
            ScriptLog.log(ScriptLog.WARN, "dispatcher: no xavp name to store dst records");
            return -1;
        }
        XavpStore x = XavpStore.of(ctx).xavp();
        if (!(x.listChild(cfg.xavpDst, "grp") instanceof Integer group)) return -1;
        if (!(x.listChild(cfg.xavpDst, "uri") instanceof String uri)) return -1;
        SipMessage msg = ctx.msg();
        Rctx r = msg.isRequest() ? new Rctx(820, null, 0) : new Rctx(msg.status(), msg.reason(), 1);
        return update(ctx, group, uri, state, r) ? 1 : -1;
    }

    /** ds_update_state: false when the set or the destination is unknown. */
    private boolean update(MessageContext ctx, int group, String uri, int state, Rctx r) {
        DsSet set = m.list().find(group);
        if (set == null) {
            ScriptLog.log(ScriptLog.ERR, "dispatcher: destination set [" + group + "] not found");
            return false;
        }
        DsConfig cfg = m.cfg;
        int old, now;
        DsDest d;
        synchronized (set) {
            d = set.byUri(uri);
            if (d == null) return false;
            old = d.flags;
            d.flags &= ~Ds.STATES_ALL;
            int init = state;
            if ((state & Ds.TRYING) != 0 && (old & Ds.INACTIVE) != 0) {
                // inactive stays inactive: it has to become active before trying
                state &= ~Ds.TRYING;
                state |= Ds.INACTIVE;
            }
            if ((state & Ds.DISABLED) != 0) d.flags |= Ds.DISABLED;
            else d.flags |= state;
            if ((state & Ds.TRYING) != 0) {
                d.messageCount++;
                if (d.messageCount >= cfg.probingThreshold) {
                    d.flags &= ~Ds.TRYING;
                    d.flags |= Ds.INACTIVE;
                    d.messageCount = 0;
                }
            } else if ((init & Ds.TRYING) == 0 && (old & Ds.INACTIVE) != 0) {
                d.messageCount++;
                if (d.messageCount < cfg.inactiveThreshold) {
                    d.flags |= Ds.INACTIVE;
                    if ((old & Ds.PROBING) != 0) d.flags |= Ds.PROBING;
                } else {
                    d.messageCount = 0;
                }
            } else {
                d.messageCount = 0;
            }
            now = d.flags;
            if (d.attrs.rweight() > 0 && DsDest.skip(old) != DsDest.skip(now)) set.initRelativeWeights(m.random());
        }
        if (!DsDest.skip(old) && DsDest.skip(now)) event(ctx, uri, "dispatcher:dst-down", r);
        else if (DsDest.skip(old) && !DsDest.skip(now)) event(ctx, uri, "dispatcher:dst-up", r);
        return true;
    }

    /**
     * ds_run_route: event_route[name] (KEMI: the event_callback function) on the message that
     * changed the state, or on a stand-in request whose R-URI is the destination.
     */
    private void event(MessageContext ctx, String uri, String name, Rctx r) {
        ProxyServices s = m.services();
        if (!s.script().has(RouteType.EVENT, name)) return;
        MessageContext ev = ctx;
        int savedType = 0;
        if (ev == null) {
            SipMessage fake = SipMessage.request("OPTIONS", uri, List.of("Via: SIP/2.0/UDP 127.0.0.1",
                    "From: <sip:you@kamailio.org>;tag=notag", "To: <sip:you@kamailio.org>;tag=notag",
                    "Call-ID: 1", "CSeq: 1 OPTIONS"), new byte[0]);
            List<ListenSocket> socks = s.sockets();
            ev = new MessageContext(fake, new ReceiveInfo(new InetSocketAddress(0), socks.isEmpty() ? null : socks.get(0)), s);
        } else {
            savedType = ev.routeType();
        }
        ev.routeType(RouteType.EVENT);
        current.set(r);
        try {
            s.script().onEvent(name, ev);
        } catch (RuntimeException e) {
            failures.error(name, "dispatcher: event_route[" + name + "] failed: " + e, e);
        } finally {
            current.remove();
            if (ctx != null) ctx.routeType(savedType);
        }
    }

    /** $dsv(code), $dsv(reason), $dsv(flags) of the running dst-down/up event; $null elsewhere. */
    Pv dsv(String key) {
        return switch (key == null ? "" : key) {
            case "code" -> ctx -> current.get() == null ? null : current.get().code;
            case "reason" -> ctx -> current.get() == null || current.get().reason == null || current.get().reason.isEmpty()
                    ? null : current.get().reason;
            case "flags" -> ctx -> current.get() == null ? null : current.get().flags;
            default -> throw new IllegalArgumentException("unknown PV key: " + key);
        };
    }

    // ---- keepalives
    /** ds_ping_set over every set: who gets a keepalive depends on ds_probing_mode and the flags. */
    void pingAll(DsPinger pinger) {
        if (m.pingActive() == 0) return;
        DsConfig cfg = m.cfg;
        for (DsSet set : m.list().sets()) {
            for (DsDest d : set.dests) {
                int flags;
                synchronized (set) {
                    flags = d.flags;
                }
                if ((flags & Ds.DISABLED) != 0 || !probed(cfg.probingMode, flags)) continue;
                String from = d.attrs.pingFrom() != null && !d.attrs.pingFrom().isEmpty() ? d.attrs.pingFrom() : cfg.pingFrom;
                if (!pinger.send(set.id, d, cfg.pingMethod, from, d.attrs.obproxy())) {
                    ScriptLog.log(ScriptLog.ERR, "dispatcher: unable to ping [" + d.uri + "] in group [" + set.id + "]");
                    int st = Ds.TRYING | (cfg.probingMode != Ds.PROBE_NONE ? Ds.PROBING : 0);
                    int id = set.id;
                    String uri = d.uri;
                    m.services().runOnWorker(uri, () -> update(null, id, uri, st, new Rctx(500, "Sending keepalive failed", 0)));
                }
            }
        }
    }

    /** ds_ping_result_helper. */
    private static boolean probed(int mode, int flags) {
        if (mode == Ds.PROBE_ALL) return true;
        if (mode != Ds.PROBE_INACTIVE && (flags & Ds.PROBING) != 0) return true;
        return mode == Ds.PROBE_INACTIVE && (flags & Ds.PROBING) != 0 && (flags & Ds.INACTIVE) != 0;
    }

    /** ds_options_callback: 2xx or an accepted code makes it active, anything else (408 on timeout) trying. */
    void pingDone(int group, String uri, int code, String reason, boolean received) {
        DsConfig cfg = m.cfg;
        Rctx r = new Rctx(code, received ? reason : null, received ? 1 : 0);
        int st = state(group, uri);
        if (cfg.probingMode == Ds.PROBE_ONLYFLAGGED && (st & Ds.PROBING) == 0) return;
        if ((st & Ds.DISABLED) != 0) return;
        int state;
        if ((code >= 200 && code <= 299) || cfg.acceptedReply(code)) {
            state = cfg.probingMode == Ds.PROBE_ALL || (cfg.probingMode == Ds.PROBE_ONLYFLAGGED && (st & Ds.PROBING) != 0)
                    ? Ds.PROBING : 0;
        } else {
            state = Ds.TRYING | (cfg.probingMode != Ds.PROBE_NONE ? Ds.PROBING : 0);
        }
        if (!update(null, group, uri, state, r)) {
            ScriptLog.log(ScriptLog.ERR, "dispatcher: Setting the state failed (" + uri + ", group " + group + ")");
        }
    }

    /** ds_get_state: the destination's flags, 0 when unknown. */
    private int state(int group, String uri) {
        DsSet set = m.list().find(group);
        if (set == null) return 0;
        synchronized (set) {
            DsDest d = set.byUri(uri);
            return d == null ? 0 : d.flags;
        }
    }

    /** ds_is_active_uri. */
    int isActive(int group, String uri) {
        DsSet set = m.list().find(group);
        if (set == null) return -1;
        synchronized (set) {
            for (DsDest d : set.dests) {
                if (DsDest.skip(d.flags)) continue;
                if (uri == null || uri.isEmpty() || d.uri.equals(uri)) return 1;
            }
        }
        return -1;
    }

    /** ds_reinit_state(_all) for dispatcher.set_state: the state bits replaced, no event route; false when unknown. */
    boolean reinit(int group, String uri, int state) {
        DsSet set = m.list().find(group);
        if (set == null) {
            ScriptLog.log(ScriptLog.ERR, "dispatcher: destination set [" + group + "] not found");
            return false;
        }
        synchronized (set) {
            boolean found = false;
            boolean changed = false;
            for (DsDest d : set.dests) {
                if (uri != null && !d.uri.equalsIgnoreCase(uri)) continue;
                int old = d.flags;
                d.flags = (d.flags & ~Ds.STATES_ALL) | state;
                changed |= d.attrs.rweight() > 0 && DsDest.skip(old) != DsDest.skip(d.flags);
                found = true;
                if (uri != null) break;
            }
            if (changed) set.initRelativeWeights(m.random());
            if (!found && uri != null) ScriptLog.log(ScriptLog.ERR, "dispatcher: destination address [" + group + " : " + uri + "] not found");
            return found || uri == null;
        }
    }

    /** ds_reinit_duid_state. */
    boolean reinitDuid(int group, String duid, int state) {
        DsSet set = m.list().find(group);
        if (set == null) return false;
        synchronized (set) {
            for (DsDest d : set.dests) {
                if (d.attrs.duid() == null || !d.attrs.duid().equalsIgnoreCase(duid)) continue;
                int old = d.flags;
                d.flags = (d.flags & ~Ds.STATES_ALL) | state;
                if (d.attrs.rweight() > 0 && DsDest.skip(old) != DsDest.skip(d.flags)) set.initRelativeWeights(m.random());
                return true;
            }
        }
        return false;
    }
}
