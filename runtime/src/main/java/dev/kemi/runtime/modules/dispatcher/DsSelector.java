package dev.kemi.runtime.modules.dispatcher;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.modules.pv.XavpStore;
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

    /** ds_select_dst_limit: 1 selected, -1 none (no set, no active destination, bad message). */
    int select(MessageContext ctx, int setId, int alg, int limit, int mode) {
        long lim = limit == 0 ? 0xffffffffL : Integer.toUnsignedLong(limit);
        DsList list = m.list();
        if (list.count() <= 0) {
            ScriptLog.log(ScriptLog.ERR, "dispatcher: no destination sets");
            return -1;
        }
        if (mode == Ds.SETOP_DSTURI && !cfg().forceDst && ctx.dstUri() != null) {
            ScriptLog.log(ScriptLog.ERR, "dispatcher: destination already set [" + ctx.dstUri() + "]");
            return -1;
        }
        DsSet set = setId < 0 ? null : list.find(setId);
        if (set == null) {
            ScriptLog.log(ScriptLog.ERR, "dispatcher: destination set [" + setId + "] not found");
            return -1;
        }
        int n = set.size();
        boolean ulast = false;
        int vlast = 0;
        long hash;
        switch (alg) {
            case 0 -> {
                String cid = ctx.msg().callId();
                if (cid == null) return fail("can't get callid hash");
                hash = u(DsHash.hash(cid.trim(), null));
            }
            case 1, 2 -> {
                SipUri u = headerUri(ctx, alg == 1);
                if (u == null) return fail(alg == 1 ? "can't get From uri hash" : "can't get To uri hash");
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
            case 4 -> {
                synchronized (set) {
                    hash = set.last;
                    set.last = (set.last + 1) % n;
                    vlast = set.last;
                }
                ulast = true;
            }
            case 6 -> hash = m.random().nextInt(Integer.MAX_VALUE);
            case 8 -> hash = 0;
            case 9 -> {
                synchronized (set) {
                    hash = set.wlist[set.wlast];
                    set.wlast = (set.wlast + 1) % 100;
                }
            }
            case 11 -> {
                synchronized (set) {
                    hash = set.rwlist[set.rwlast];
                    set.rwlast = (set.rwlast + 1) % 100;
                }
            }
            default -> {
                // 5 (auth username), 7 (hash_pvar), 10 (call load), 12 (parallel), 13 (latency)
                ScriptLog.log(ScriptLog.ERR, "dispatcher: algorithm " + alg + " is not supported by Kemi Proxy"
                        + " (supported: 0, 1, 2, 3, 4, 6, 8, 9, 11)");
                return -1;
            }
        }
        int ring = cfg().useDefault && n != 1 ? n - 1 : n;
        int start = (int) (hash % ring);
        int i = start;
        DsDest chosen;
        synchronized (set) {
            while (DsDest.skip(set.dests[i].flags)) {
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
        if (mode != Ds.SETOP_XAVP && push(ctx, chosen.uri, mode) != 0) {
            ScriptLog.log(ScriptLog.ERR, "dispatcher: cannot set next hop address with: " + chosen.uri);
            return -1;
        }
        if (!cfg().failover() || cfg().xavpDst.isEmpty()) return 1;
        fillXavp(ctx, set, i, alg, lim);
        return 1;
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

    /** The selected destination's record, then the active ones after it, then those before, up to the limit; then _dsctx_ cnt. */
    private void fillXavp(MessageContext ctx, DsSet set, int sel, int alg, long limit) {
        XavpStore x = XavpStore.of(ctx).xavp;
        int n = set.size();
        int pos = 0;
        long cnt = 0;
        add(x, set, set.dests[sel], pos++);
        cnt++;
        List<Integer> order = new ArrayList<>();
        for (int i = sel + 1; i < n; i++) order.add(i);
        for (int i = 0; i < sel; i++) order.add(i);
        for (int i : order) {
            if (cnt >= limit) break;
            int flags;
            synchronized (set) {
                flags = set.dests[i].flags;
            }
            if (DsDest.skip(flags) || (cfg().useDefault && i == n - 1)) continue;
            add(x, set, set.dests[i], pos++);
            cnt++;
        }
        if (cfg().useDefault && sel != n - 1 && cnt < limit) {
            add(x, set, set.dests[n - 1], pos);
            cnt++;
        }
        if ((cfg().xavpCtxMode & Ds.XAVP_CTX_SKIP_CNT) == 0 && !cfg().xavpCtx.isEmpty()) {
            x.addList(cfg().xavpCtx, List.of(Map.entry("cnt", (Object) (int) cnt)));
        }
    }

    /** ds_add_xavp_record: fields added newest first, as Kamailio links them (attrs, grp, uri). */
    private void add(XavpStore x, DsSet set, DsDest d, int pos) {
        List<Map.Entry<String, Object>> fields = new ArrayList<>(3);
        if ((cfg().xavpDstMode & Ds.XAVP_DST_SKIP_ATTRS) == 0 && d.attrs.body() != null && !d.attrs.body().isEmpty()) {
            fields.add(Map.entry("attrs", d.attrs.body()));
        }
        fields.add(Map.entry("grp", set.id));
        fields.add(Map.entry("uri", d.uri));
        x.insertList(cfg().xavpDst, pos, fields);
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
        return 0;
    }

    /** ds_update_dst: use the first record (next: drop it first and use the one after). */
    int update(MessageContext ctx, boolean next, int mode) {
        if (next && (!cfg().failover() || cfg().xavpDst.isEmpty())) {
            ScriptLog.log(ScriptLog.WARN, "dispatcher: failover support disabled");
            return -1;
        }
        XavpStore x = XavpStore.of(ctx).xavp;
        String name = cfg().xavpDst;
        if (!x.firstIsList(name)) return -1;
        if (next) {
            x.removeFirst(name);
            if (!x.firstIsList(name)) return -1;
        }
        if (!(x.listChild(name, "uri") instanceof String uri)) {
            ScriptLog.log(ScriptLog.WARN, "dispatcher: no xavp uri field in next destination record");
            return -1;
        }
        if (push(ctx, uri, mode) != 0) return -1;
        return 1;
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
