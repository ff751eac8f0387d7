package dev.kemi.runtime.modules.dialog;

import dev.kemi.runtime.rpc.RpcException;
import dev.kemi.runtime.rpc.RpcRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** dlg.list, dlg.end_dlg, dlg.profile_get_size ... with Kamailio 5.6.3's output shapes and faults. */
final class DlgRpc {
    private final DialogModule m;

    DlgRpc(DialogModule m) {
        this.m = m;
    }

    void register(RpcRegistry r) {
        r.register("dlg.list", p -> list(m.tracker.table.all()));
        r.register("dlg.list_ctx", p -> list(m.tracker.table.all()));
        r.register("dlg.dlg_list", this::dlgList);
        r.register("dlg.dlg_list_ctx", this::dlgList);
        r.register("dlg.end_dlg", this::endDlg);
        r.register("dlg.terminate_dlg", this::terminate);
        r.register("dlg.profile_get_size", this::profileSize);
        r.register("dlg.profile_list", this::profileList);
        r.register("dlg.is_alive", this::isAlive);
        r.register("dlg.stats_active", this::statsActive);
    }

    private static String str(List<Object> p, int i) {
        return p.size() > i && p.get(i) != null ? p.get(i).toString() : null;
    }

    private static Integer num(List<Object> p, int i) {
        if (p.size() <= i || p.get(i) == null) return null;
        Object o = p.get(i);
        if (o instanceof Number n) return n.intValue();
        try {
            return Integer.parseInt(o.toString().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static List<Object> list(List<Dialog> ds) {
        List<Object> out = new ArrayList<>();
        for (Dialog d : ds) out.add(print(d));
        return out;
    }

    /** internal_rpc_print_dlg's struct. */
    static Map<String, Object> print(Dialog d) {
        long now = DlgTracker.now();
        long dur = d.endTs != 0 ? d.endTs - d.startTs : d.startTs != 0 ? now - d.startTs : 0;
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("h_entry", d.hEntry);
        h.put("h_id", d.hId);
        h.put("ref", d.onTimer() ? 2 : 1);
        h.put("call-id", d.callId);
        h.put("from_uri", d.fromUri);
        h.put("to_uri", d.toUri);
        h.put("state", d.state);
        h.put("start_ts", (int) d.startTs);
        h.put("init_ts", (int) d.initTs);
        h.put("end_ts", (int) d.endTs);
        h.put("duration", (int) dur);
        h.put("timeout", (int) d.timeoutAt);
        h.put("lifetime", d.lifetime);
        h.put("dflags", d.dflags);
        h.put("sflags", d.sflags);
        h.put("iflags", d.iflags);
        h.put("caller", leg(d, Dialog.CALLER));
        h.put("callee", leg(d, Dialog.CALLEE));
        List<Object> profiles = new ArrayList<>();
        List<Object> vars = new ArrayList<>();
        if (d.state < Dialog.DELETED) {
            List<DlgProfiles.Link> ls = new ArrayList<>(d.profiles);
            for (int i = ls.size() - 1; i >= 0; i--) {
                DlgProfiles.Link l = ls.get(i);
                profiles.add(l.profile().hasValue ? Map.of(l.profile().name, l.value()) : l.profile().name);
            }
            List<Map.Entry<String, String>> es = new ArrayList<>(d.vars.entrySet());
            for (int i = es.size() - 1; i >= 0; i--) vars.add(Map.of(es.get(i).getKey(), es.get(i).getValue()));
        }
        h.put("profiles", profiles);
        h.put("variables", vars);
        return h;
    }

    private static Map<String, Object> leg(Dialog d, int leg) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("tag", nn(d.tag[leg]));
        s.put("contact", nn(d.contact[leg]));
        s.put("cseq", nn(d.cseq[leg]));
        s.put("route_set", nn(d.routeSet[leg]));
        s.put("socket", d.bindAddr[leg] == null ? "" : d.bindAddr[leg].toString());
        return s;
    }

    private static String nn(String s) {
        return s == null ? "" : s;
    }

    private Object dlgList(List<Object> p) {
        String callId = str(p, 0);
        if (callId == null) throw new RpcException(500, "Invalid parameters");
        return list(m.tracker.table.byCallId(callId, str(p, 1)));
    }

    private Object endDlg(List<Object> p) {
        Integer he = num(p, 0), hi = num(p, 1);
        if (he == null || hi == null) throw new RpcException(500, "Invalid parameters");
        String hdrs = str(p, 2);
        Dialog d = m.tracker.table.lookup(he, hi);
        if (d == null) throw new RpcException(404, "Dialog not found");
        m.tracker.onWorker(d, () -> m.tracker.byeAll(d, hdrs == null || hdrs.isEmpty() ? null : hdrs));
        return List.of();
    }

    private Object terminate(List<Object> p) {
        String cid = str(p, 0), ft = str(p, 1), tt = str(p, 2);
        if (cid == null || ft == null || tt == null) throw new RpcException(400, "Need a Callid ,from tag ,to tag");
        Dialog d = m.tracker.table.find(cid, ft, tt, null);
        if (d == null) throw new RpcException(500, "Couldnt find callid in dialog");
        m.tracker.onWorker(d, () -> m.tracker.byeAll(d, null));
        return List.of();
    }

    private DlgProfiles.Profile profile(String name) {
        DlgProfiles.Profile pr = m.profiles.get(name);
        if (pr == null) throw new RpcException(404, "Profile not found: " + name);
        return pr;
    }

    private Object profileSize(List<Object> p) {
        String name = str(p, 0);
        if (name == null) throw new RpcException(500, "Invalid parameters");
        DlgProfiles.Profile pr = profile(name);
        return pr.size(str(p, 1));
    }

    private Object profileList(List<Object> p) {
        String name = str(p, 0);
        if (name == null) throw new RpcException(500, "Invalid parameters");
        DlgProfiles.Profile pr = profile(name);
        String value = pr.hasValue ? str(p, 1) : null;
        List<Dialog> ds = new ArrayList<>();
        for (Map.Entry<String, java.util.Set<DlgProfiles.Link>> e : pr.members.entrySet()) {
            if (value != null && !value.equals(e.getKey())) continue;
            for (DlgProfiles.Link l : e.getValue()) ds.add(l.dlg());
        }
        return list(ds);
    }

    private Object isAlive(List<Object> p) {
        String cid = str(p, 0), ft = str(p, 1), tt = str(p, 2);
        if (cid == null || ft == null || tt == null) throw new RpcException(400, "Too few parameters (required callid, from-tag, to-tag)");
        Dialog d = m.tracker.table.find(cid, ft, tt, null);
        if (d == null) throw new RpcException(404, "Dialog not found");
        if (d.state != Dialog.CONFIRMED) throw new RpcException(500, "Dialog not in confirmed state");
        return "Alive";
    }

    private Object statsActive(List<Object> p) {
        Integer own = num(p, 0);
        int[] n = new int[5];
        for (Dialog d : m.tracker.table.all()) {
            if (own != null && own != 0 && d.bindAddr[Dialog.CALLER] == null) continue;
            if (d.state >= 1 && d.state <= 4) n[d.state]++;
        }
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("starting", n[1]);
        h.put("connecting", n[2]);
        h.put("answering", n[3]);
        h.put("ongoing", n[4]);
        h.put("all", n[1] + n[2] + n[3] + n[4]);
        return h;
    }
}
