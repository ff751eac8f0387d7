package dev.kemi.runtime.modules.dispatcher;

import dev.kemi.runtime.core.BranchAttrs;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.auth.DigestCredentials;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.modules.pv.XavpStore;
import dev.kemi.runtime.sip.CSeq;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.SipUri;
import dev.kemi.runtime.transport.Protocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Picking destinations (ds_manage_routes), failing over to the next ones (ds_update_dst), ds_is_from_list. */
final class DsSelector {
    private final DispatcherModule m;

    DsSelector(DispatcherModule m) {
        this.m = m;
    }

    private DsConfig cfg() {
        return m.cfg;
    }

    /** One selection's state across the rules of ds_select_routes (ds_select_state_t). */
    static final class State {
        int setId, alg, umode;
        final long limit;
        long cnt;
        /** A destination went into $du / the R-URI already. */
        boolean emode;
        /** Where the next _dsdst_ record goes. */
        int xavpPos;

        State(int setId, int alg, int umode, int limit) {
            this.setId = setId;
            this.alg = alg;
            this.umode = umode;
            this.limit = limit == 0 ? 0xffffffffL : Integer.toUnsignedLong(limit);
        }
    }

    /** ds_select_dst_limit: 1 selected (2 parallel with a branch missing), -1 none (no set, no active destination, bad message). */
    int select(MessageContext ctx, int setId, int alg, int limit, int mode) {
        State st = new State(setId, alg, mode, limit);
        int ret = manage(ctx, st);
        if (ret < 0) return ret;
        addCnt(ctx, st.cnt);
        return ret;
    }

    /**
     * ds_select_routes: "set=alg;set=alg..." tried in order, the first selected one set in $du /
     * the R-URI by mode (0/d, 1/r, 2/x), every other selection only added to the _dsdst_
     * records. The last selection's code, -1 when none selected anything.
     */
    int selectRoutes(MessageContext ctx, String rules, String mode, int limit) {
        State st = new State(0, 0, Ds.SETOP_XAVP, limit);
        int vret = -1, gret = -1;
        int i = 0;
        while (i < rules.length()) {
            st.setId = 0;
            for (; i < rules.length(); i++) {
                char c = rules.charAt(i);
                if (c >= '0' && c <= '9') {
                    st.setId = st.setId * 10 + (c - '0');
                } else if (c == '=') {
                    i++;
                    break;
                } else {
                    return fail("invalid character in [" + rules + "] at [" + i + "]");
                }
            }
            st.alg = 0;
            for (; i < rules.length(); i++) {
                char c = rules.charAt(i);
                if (c >= '0' && c <= '9') {
                    st.alg = st.alg * 10 + (c - '0');
                } else if (c == ';') {
                    i++;
                    break;
                } else {
                    return fail("invalid character in [" + rules + "] at [" + i + "]");
                }
            }
            st.umode = Ds.SETOP_XAVP;
            if (!st.emode) {
                switch (mode.isEmpty() ? ' ' : mode.charAt(0)) {
                    case '0', 'd', 'D' -> st.umode = Ds.SETOP_DSTURI;
                    case '1', 'r', 'R' -> st.umode = Ds.SETOP_RURI;
                    case '2', 'x', 'X' -> { }
                    default -> {
                        return fail("invalid routing mode parameter: " + mode);
                    }
                }
            }
            vret = manage(ctx, st);
            if (vret > 0) gret = vret;
        }
        if (gret < 0) return vret;
        addCnt(ctx, st.cnt);
        return gret;
    }

    /** _dsctx_ cnt: how many _dsdst_ records the selection added. */
    private void addCnt(MessageContext ctx, long cnt) {
        if ((cfg().xavpCtxMode & Ds.XAVP_CTX_SKIP_CNT) == 0 && !cfg().xavpCtx.isEmpty()) {
            XavpStore.of(ctx).xavp().addList(cfg().xavpCtx, List.of(Map.entry("cnt", (Object) (int) cnt)));
        }
    }

    /** ds_manage_routes: picks by the algorithm, sets the next hop, fills the failover records. */
    private int manage(MessageContext ctx, State st) {
        DsList list = m.list();
        if (list.count() <= 0) {
            ScriptLog.log(ScriptLog.ERR, "dispatcher: no destination sets");
            return -1;
        }
        if (st.umode == Ds.SETOP_DSTURI && !cfg().forceDst && ctx.dstUri() != null) {
            ScriptLog.log(ScriptLog.ERR, "dispatcher: destination already set [" + ctx.dstUri() + "]");
            return -1;
        }
        DsSet set = st.setId < 0 ? null : list.find(st.setId);
        if (set == null) {
            ScriptLog.log(ScriptLog.ERR, "dispatcher: destination set [" + st.setId + "] not found");
            return -1;
        }
        int n = set.size();
        boolean ulast = false, xavpFilled = false;
        int vlast = 0;
        long hash;
        switch (st.alg) {
            case 0 -> {
                String cid = ctx.msg().callId();
                if (cid == null) return fail("can't get callid hash");
                hash = u(DsHash.hash(cid.trim(), null));
            }
            case 1, 2 -> {
                SipUri u = headerUri(ctx, st.alg == 1);
                if (u == null) return fail(st.alg == 1 ? "can't get From uri hash" : "can't get To uri hash");
                hash = u(DsHash.uri(u, (cfg().flags & Ds.HASH_USER_ONLY) != 0));
            }
            case 3 -> {
                SipUri u;
                try {
                    u = ctx.msg().parsedRequestUri();
                } catch (SipParseException e) {
                    return fail("can't get ruri hash");
                }
                if (u.host() == null) return fail("can't get ruri hash");
                hash = u(DsHash.uri(u, (cfg().flags & Ds.HASH_USER_ONLY) != 0));
            }
            case 4, 5 -> {
                String user = st.alg == 5 ? authUsername(ctx) : null;
                if (user != null) {
                    hash = u(DsHash.hash(user, null));
                } else {
                    // 5 without credentials: round robin, as Kamailio
                    synchronized (set) {
                        hash = set.last;
                        set.last = (set.last + 1) % n;
                        vlast = set.last;
                    }
                    ulast = true;
                }
            }
            case 6 -> hash = m.random().nextInt(Integer.MAX_VALUE);
            case 7 -> {
                String v = m.hashPvar() == null ? null : m.hashPvar().print(ctx).strip();
                if (v == null || v.isEmpty()) return fail("can't get PV hash");
                hash = u(DsHash.hash(v, null));
            }
            case 8, 12 -> hash = 0;
            case 9 -> {
                synchronized (set) {
                    hash = set.wlist[set.wlast];
                    set.wlast = (set.wlast + 1) % 100;
                }
            }
            case 10 -> {
                // only an INVITE starts a call; anything else gets the first entry
                if (!"INVITE".equals(ctx.msg().method())) {
                    hash = 0;
                    st.alg = 0;
                } else if (cfg().xavpDst.isEmpty()) {
                    ScriptLog.log(ScriptLog.ERR, "dispatcher: no dst xavp for load distribution - using first entry...");
                    hash = 0;
                    st.alg = 0;
                } else {
                    int k = leastLoaded(set);
                    if (k < 0) return -1;
                    hash = k;
                    if (loadAdd(ctx, set, k) < 0) {
                        ScriptLog.log(ScriptLog.ERR, "dispatcher: unable to update destination load - classic dispatching");
                        st.alg = 0;
                    }
                }
            }
            case 11 -> {
                synchronized (set) {
                    hash = set.rwlist[set.rwlast];
                    set.rwlast = (set.rwlast + 1) % 100;
                }
            }
            case 13 -> {
                hash = latencyOrder(ctx, set, st);
                if (hash < 0) return -1;
                xavpFilled = true;
            }
            default -> {
                ScriptLog.log(ScriptLog.WARN, "dispatcher: algo " + st.alg + " not implemented - using first entry...");
                hash = 0;
            }
        }
        int ring = cfg().useDefault && n != 1 ? n - 1 : n;
        int start = (int) (hash % ring);
        int i = start;
        DsDest chosen;
        synchronized (set) {
            while (!xavpFilled && DsDest.skip(set.dests[i].flags)) {
                i = (i + 1) % ring;
                if (i == start) {
                    if (!cfg().useDefault) return -1;
                    i = n - 1;
                    if (DsDest.skip(set.dests[i].flags)) return -1;
                    break;
                }
            }
            chosen = set.dests[i];
            if (ulast && vlast == set.last) set.last = (i + 1) % n;
        }
        if (st.umode != Ds.SETOP_XAVP) {
            if (push(ctx, chosen.uri, st.umode) != 0) {
                ScriptLog.log(ScriptLog.ERR, "dispatcher: cannot set next hop address with: " + chosen.uri);
                return -1;
            }
            st.emode = true;
        }
        if (st.alg == 12) return addBranches(ctx, set, i, st.umode) < 0 ? 2 : 1;
        if (!cfg().failover() || cfg().xavpDst.isEmpty()) return 1;
        if (!xavpFilled && fillXavp(ctx, set, i, st) < 0) return -1;
        if (cfg().useDefault && i != n - 1 && st.cnt < st.limit && add(ctx, set, set.dests[n - 1], st) < 0) return -1;
        return 1;
    }

    /**
     * ds_manage_route_algo13: the destinations from the round-robin position on, by priority
     * lowered by latency over priority (no latency statistics here, so by priority), inactive
     * ones last; the failover records in that order. The first one's index, -1 when all are
     * inactive.
     */
    private int latencyOrder(MessageContext ctx, DsSet set, State st) {
        int n = set.size();
        int ring = cfg().useDefault && n != 1 ? n - 1 : n;
        int[] idx = new int[n], prio = new int[n];
        int first;
        synchronized (set) {
            int z = set.last;
            for (int y = 0; y < n; y++) {
                DsDest d = set.dests[z];
                if (!DsDest.skip(d.flags)) {
                    int latency = 0, p = d.priority;
                    int rp = p - (latency > p && p > 0 ? latency / p : 0);
                    if (rp < 1 && p > 0) rp = 1;
                    idx[y] = z;
                    prio[y] = rp;
                } else {
                    idx[y] = -1;
                    prio[y] = -1;
                }
                z = (z + 1) % ring;
            }
            // Kamailio's bubble sort, highest priority first, equal ones kept in order
            for (int a = 0; a < n; a++) {
                for (int b = 1; b < n; b++) {
                    if (prio[b - 1] < prio[b]) {
                        int t = prio[b]; prio[b] = prio[b - 1]; prio[b - 1] = t;
                        t = idx[b]; idx[b] = idx[b - 1]; idx[b - 1] = t;
                    }
                }
            }
            first = n > 0 ? idx[0] : -1;
            set.last = (first + 1) % n;
        }
        if (cfg().failover()) {
            for (int y = 0; y < n && st.cnt < st.limit; y++) {
                int j = idx[y];
                if (j < 0 || DsDest.skip(flagsOf(set, j)) || (cfg().useDefault && j == n - 1)) continue;
                if (add(ctx, set, set.dests[j], st) < 0) break;
            }
        }
        return first;
    }

    private static int flagsOf(DsSet set, int j) {
        synchronized (set) {
            return set.dests[j].flags;
        }
    }

    /**
     * The credentials' username (user part, trimmed) of the first Proxy-Authorization, else of
     * the first Authorization that parses; null when there is none (ds_hash_authusername).
     */
    private static String authUsername(MessageContext ctx) {
        for (String name : new String[] {"Proxy-Authorization", "Authorization"}) {
            String v = ctx.msg().header(name);
            if (v == null) continue;
            DigestCredentials c = DigestCredentials.parse(v);
            if (c == DigestCredentials.NOT_DIGEST || c == DigestCredentials.MALFORMED) continue;
            if (c.user == null || c.user.isEmpty()) {
                ScriptLog.log(ScriptLog.ERR, "dispatcher: No Authorization-Username or Credentials!");
                return null;
            }
            return c.user.strip();
        }
        return null;
    }

    /**
     * ds_add_branches (algorithm 12): every destination after the selected one (inactive ones
     * too, as Kamailio) becomes a branch: its URI as $du of the R-URI, or in R-URI mode the
     * R-URI's user at its host. -1 when the R-URI does not parse.
     */
    private static int addBranches(MessageContext ctx, DsSet set, int sel, int mode) {
        int n = set.size();
        if (mode != Ds.SETOP_XAVP && sel + 1 >= n) return 0;
        String user = null;
        if (mode == Ds.SETOP_RURI) {
            try {
                user = ctx.msg().parsedRequestUri().user();
            } catch (SipParseException e) {
                ScriptLog.log(ScriptLog.ERR, "dispatcher: failed to parse sip msg uri");
                return -1;
            }
        }
        for (int i = mode != Ds.SETOP_XAVP ? sel + 1 : sel; i < n; i++) {
            String uri = set.dests[i].uri;
            if (mode != Ds.SETOP_RURI) {
                ctx.appendBranch(ctx.msg().requestUri(), new BranchAttrs(uri, null, -1, 0, null));
            } else if (user == null || user.isEmpty()) {
                ctx.appendBranch(uri, null);
            } else if (uri.length() < 6) {
                ScriptLog.log(ScriptLog.WARN, "dispatcher: invalid dispatcher uri - skipping (" + i + ")");
            } else if (uri.startsWith("sips:")) {
                ctx.appendBranch("sips:" + user + "@" + uri.substring(5), null);
            } else if (uri.startsWith("sip:")) {
                ctx.appendBranch("sip:" + user + "@" + uri.substring(4), null);
            } else {
                ScriptLog.log(ScriptLog.WARN, "dispatcher: unsupported protocol schema - ignoring");
            }
        }
        return 0;
    }

    private static long u(int h) {
        return Integer.toUnsignedLong(h);
    }

    private static int fail(String why) {
        ScriptLog.log(ScriptLog.ERR, "dispatcher: " + why);
        return -1;
    }

    private static SipUri headerUri(MessageContext ctx, boolean from) {
        try {
            return (from ? ctx.msg().from() : ctx.msg().to()).parsedUri();
        } catch (SipParseException | RuntimeException e) {
            return null;
        }
    }

    /** ds_manage_routes_fill_xavp: the selected destination's record, then the active ones after it, then those before, up to the limit. */
    private int fillXavp(MessageContext ctx, DsSet set, int sel, State st) {
        int n = set.size();
        if (add(ctx, set, set.dests[sel], st) < 0) return -1;
        List<Integer> order = new ArrayList<>();
        for (int i = sel + 1; i < n; i++) order.add(i);
        for (int i = 0; i < sel; i++) order.add(i);
        for (int i : order) {
            if (st.cnt >= st.limit) break;
            int flags;
            synchronized (set) {
                flags = set.dests[i].flags;
            }
            if (DsDest.skip(flags) || (cfg().useDefault && i == n - 1)) continue;
            if (st.alg == 10 && overloaded(set, set.dests[i])) continue;
            if (add(ctx, set, set.dests[i], st) < 0) return -1;
        }
        return 0;
    }

    /** ds_add_xavp_record: fields added newest first, as Kamailio links them (attrs, grp, uri); records in selection order. */
    private int add(MessageContext ctx, DsSet set, DsDest d, State st) {
        List<Map.Entry<String, Object>> fields = new ArrayList<>(4);
        if (st.alg == 10) {
            if (d.attrs.duid() == null || d.attrs.duid().isEmpty()) {
                ScriptLog.log(ScriptLog.ERR, "dispatcher: no uid for destination: " + set.id + " " + d.uri);
                return -1;
            }
            fields.add(Map.entry("dstid", d.attrs.duid()));
        }
        if ((cfg().xavpDstMode & Ds.XAVP_DST_SKIP_ATTRS) == 0 && d.attrs.body() != null && !d.attrs.body().isEmpty()) {
            fields.add(Map.entry("attrs", d.attrs.body()));
        }
        fields.add(Map.entry("grp", set.id));
        fields.add(Map.entry("uri", d.uri));
        XavpStore.of(ctx).xavp().insertList(cfg().xavpDst, st.xavpPos++, fields);
        st.cnt++;
        return 0;
    }

    /** ds_push_dst: $du (the R-URI used again for the branch), or the R-URI's host part. */
    private static int push(MessageContext ctx, String uri, int mode) {
        if (mode == Ds.SETOP_RURI) {
            String hostpart = uri.regionMatches(true, 0, "sip:", 0, 4) && uri.length() > 4 ? uri.substring(4)
                    : uri.regionMatches(true, 0, "sips:", 0, 5) && uri.length() > 5 ? uri.substring(5) : uri;
            SipUri r;
            try {
                r = ctx.msg().parsedRequestUri();
            } catch (SipParseException e) {
                ScriptLog.log(ScriptLog.ERR, "dispatcher: error while setting r-uri domain with: " + uri);
                return -1;
            }
            StringBuilder b = new StringBuilder(r.scheme()).append(':');
            if (r.user() != null && !r.user().isEmpty()) {
                b.append(r.user());
                if (r.password() != null) b.append(':').append(r.password());
                b.append('@');
            }
            ctx.msg().setRequestUri(b.append(hostpart).toString());
            return 0;
        }
        ctx.setDstUri(uri);
        ctx.msg().markRequestUriNew(); // as dispatch.c: a new destination re-uses the R-URI for serial forking
        return 0;
    }

    /** ds_update_dst: use the first record (next: drop it first and use the one after). */
    int update(MessageContext ctx, boolean next, int mode) {
        if (next && (!cfg().failover() || cfg().xavpDst.isEmpty())) {
            ScriptLog.log(ScriptLog.WARN, "dispatcher: failover support disabled");
            return -1;
        }
        XavpStore x = XavpStore.of(ctx).xavp();
        String name = cfg().xavpDst;
        if (!x.firstIsList(name)) return -1;
        if (next) {
            x.removeFirst(name);
            if (!x.firstIsList(name)) return -1;
        }
        while (true) {
            if (!(x.listChild(name, "uri") instanceof String uri)) {
                ScriptLog.log(ScriptLog.WARN, "dispatcher: no xavp uri field in next destination record");
                return -1;
            }
            if (push(ctx, uri, mode) != 0) return -1;
            // algorithm 10: the call's load moves to the next destination
            if (!next || !(x.listChild(name, "dstid") instanceof String dstid)) return 1;
            int ret = loadReplace(ctx, dstid);
            if (ret == 0) return 1;
            if (ret != -2) {
                ScriptLog.log(ScriptLog.ERR, "dispatcher: cannot update load distribution");
                return -1;
            }
            ScriptLog.log(ScriptLog.ERR, "dispatcher: cannot update load with " + dstid + ", skipping dst.");
            x.removeFirst(name);
            if (!x.firstIsList(name)) return -1;
        }
    }

    // ---- call load (algorithm 10)

    /** ds_get_leastloaded: the active destination with the fewest calls under its maxload; -1 when none. */
    private static int leastLoaded(DsSet set) {
        int k = -1, t = Integer.MAX_VALUE;
        synchronized (set) {
            for (int j = 0; j < set.size(); j++) {
                DsDest d = set.dests[j];
                if (!DsDest.skip(d.flags) && (d.attrs.maxload() == 0 || d.dload < d.attrs.maxload()) && d.dload < t) {
                    k = j;
                    t = d.dload;
                }
            }
        }
        return k;
    }

    private static boolean overloaded(DsSet set, DsDest d) {
        synchronized (set) {
            return d.attrs.maxload() != 0 && d.dload >= d.attrs.maxload();
        }
    }

    /** ds_load_add: the call counted on the destination; -1 without duid, load table or Call-ID, or when tracked already. */
    private int loadAdd(MessageContext ctx, DsSet set, int dst) {
        String cid = ctx.msg().callId();
        DsDest d = set.dests[dst];
        if (d.attrs.duid() == null || d.attrs.duid().isEmpty()) {
            ScriptLog.log(ScriptLog.ERR, "dispatcher: dst unique id not set for " + set.id + " (" + cid + ")");
            return -1;
        }
        DsCallLoad load = m.callLoad();
        if (load == null || cid == null) {
            ScriptLog.log(ScriptLog.ERR, "dispatcher: cannot add load to " + set.id + " (" + cid + ")");
            return -1;
        }
        if (!load.add(cid, d.attrs.duid(), set.id)) {
            ScriptLog.log(ScriptLog.WARN, "dispatcher: call-id already in hash table [" + cid + "].");
            ScriptLog.log(ScriptLog.ERR, "dispatcher: cannot add load to " + set.id + " (" + cid + ")");
            return -1;
        }
        synchronized (set) {
            d.dload++;
        }
        return 0;
    }

    private static void loadDec(DsSet set, DsDest d) {
        synchronized (set) {
            if (d.dload > 0) d.dload--;
        }
    }

    private static DsDest byDuid(DsSet set, String duid) {
        for (DsDest d : set.dests) if (d.attrs.duid() != null && d.attrs.duid().equalsIgnoreCase(duid)) return d;
        return null;
    }

    /** ds_load_replace: 0 moved, -2 the new destination is gone, -1 no such call or set. */
    private int loadReplace(MessageContext ctx, String duid) {
        String cid = ctx.msg().callId();
        DsCallLoad load = m.callLoad();
        DsCallLoad.Cell c = load == null || cid == null ? null : load.get(cid);
        if (c == null) {
            ScriptLog.log(ScriptLog.ERR, "dispatcher: cannot find load for (" + cid + ")");
            return -1;
        }
        DsSet set = m.list().find(c.set);
        if (set == null) {
            ScriptLog.log(ScriptLog.ERR, "dispatcher: destination set [" + c.set + "] not found");
            return -1;
        }
        DsDest old = byDuid(set, c.duid), now = byDuid(set, duid);
        if (old == null) ScriptLog.log(ScriptLog.WARN, "dispatcher: old destination address not found for [" + c.set + ", " + c.duid + "]");
        if (now == null) {
            ScriptLog.log(ScriptLog.ERR, "dispatcher: new destination address not found for [" + c.set + ", " + duid + "]");
            return -2;
        }
        load.remove(cid);
        if (old != null) loadDec(set, old);
        for (int i = 0; i < set.size(); i++) {
            if (set.dests[i] == now) return loadAdd(ctx, set, i) < 0 ? -1 : 0;
        }
        return -1;
    }

    /** ds_load_remove_byid. */
    private int loadRemoveById(int setId, String duid) {
        DsSet set = m.list().find(setId);
        if (set == null) {
            ScriptLog.log(ScriptLog.ERR, "dispatcher: destination set [" + setId + "] not found");
            return -1;
        }
        DsDest d = byDuid(set, duid);
        if (d == null) {
            ScriptLog.log(ScriptLog.ERR, "dispatcher: old destination address not found for [" + setId + ", " + duid + "]");
            return -1;
        }
        loadDec(set, d);
        return 0;
    }

    /** ds_load_remove: the message's call off its destination. */
    private int loadRemove(MessageContext ctx) {
        String cid = ctx.msg().callId();
        DsCallLoad load = m.callLoad();
        DsCallLoad.Cell c = load == null || cid == null ? null : load.get(cid);
        if (c == null) {
            ScriptLog.log(ScriptLog.ERR, "dispatcher: cannot find load for (" + cid + ")");
            return -1;
        }
        if (loadRemoveById(c.set, c.duid) < 0) return -1;
        load.remove(cid);
        return 0;
    }

    /** ds_load_update. */
    int loadUpdate(MessageContext ctx) {
        String cid = ctx.msg().callId();
        CSeq cseq;
        try {
            cseq = ctx.msg().cseq();
        } catch (SipParseException e) {
            cseq = null;
        }
        if (cid == null || cseq == null) {
            ScriptLog.log(ScriptLog.ERR, "dispatcher: cannot parse cseq and callid headers");
            return -1;
        }
        if (ctx.msg().isRequest()) {
            String method = ctx.msg().method();
            if ("BYE".equals(method) || "CANCEL".equals(method)) loadRemove(ctx);
            return 0;
        }
        if ("INVITE".equals(cseq.method()) && ctx.msg().status() / 100 == 2) {
            DsCallLoad load = m.callLoad();
            DsCallLoad.Cell c = load == null ? null : load.get(cid);
            if (c != null) c.confirmed = true;
        }
        return 0;
    }

    /** ds_load_unset. */
    int loadUnset(MessageContext ctx) {
        if (cfg().xavpDst.isEmpty()) return 0;
        // an INVITE only after its destination list is built
        if (ctx.msg().isRequest() && "INVITE".equals(ctx.msg().method())
                && !(XavpStore.of(ctx).xavp().listChild(cfg().xavpDst, "dstid") instanceof String)) {
            return 0;
        }
        return loadRemove(ctx);
    }

    /** ds_ht_timer: expired calls' load off their destinations. */
    void expireLoad() {
        DsCallLoad load = m.callLoad();
        if (load == null) return;
        for (DsCallLoad.Cell c : load.removeExpired(System.currentTimeMillis() / 1000)) loadRemoveById(c.set, c.duid);
    }

    /** ds_is_addr_from_list: the source (or the URI's resolved address) is one of a set's destinations. */
    int isFromList(MessageContext ctx, int group, String uri, int mode) {
        InetAddress ip;
        int port;
        Protocol proto;
        if (uri == null || uri.isEmpty()) {
            InetSocketAddress src = ctx.received().source();
            ip = src.getAddress();
            port = src.getPort();
            proto = ctx.received().socket().proto();
        } else {
            SipUri u;
            try {
                u = SipUri.parse(uri);
                String h = u.host().startsWith("[") ? u.host().substring(1, u.host().length() - 1) : u.host();
                ip = InetAddress.getByName(h);
            } catch (SipParseException | UnknownHostException | RuntimeException e) {
                ScriptLog.log(ScriptLog.ERR, "dispatcher: bad uri [" + uri + "]");
                return -1;
            }
            port = Math.max(u.port(), 0);
            String t = u.transport();
            Protocol p = null;
            try {
                if (t != null) p = Protocol.parse(t);
            } catch (IllegalArgumentException e) {
                p = null;
            }
            proto = p;
        }
        DsList list = m.list();
        if (group == -1) {
            for (DsSet s : list.sets()) {
                int rc = matchSet(ctx, s, ip, port, proto, mode, true);
                if (rc != -1) return rc;
            }
            return -1;
        }
        DsSet s = list.find(group);
        return s == null ? -1 : matchSet(ctx, s, ip, port, proto, mode, false);
    }

    private int matchSet(MessageContext ctx, DsSet s, InetAddress ip, int port, Protocol proto, int mode, boolean exportSet) {
        for (DsDest d : s.dests) {
            if (d.ip == null || !d.ip.equals(ip)) continue;
            if ((mode & Ds.MATCH_NOPORT) == 0 && d.port != 0 && d.port != port) continue;
            if ((mode & Ds.MATCH_NOPROTO) == 0 && d.proto != proto) continue;
            int flags;
            synchronized (s) {
                flags = d.flags;
            }
            if ((mode & Ds.MATCH_ACTIVE) != 0 && DsDest.skip(flags)) continue;
            if (exportSet && m.setidPv() != null) m.setidPv().set(ctx, s.id);
            if (m.attrsPv() != null && d.attrs.body() != null && !d.attrs.body().isEmpty()) m.attrsPv().set(ctx, d.attrs.body());
            return 1;
        }
        return -1;
    }
}
