package dev.kemi.runtime.modules.tm;

import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.BranchAttrs;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.modules.core.SendSocket;
import dev.kemi.runtime.modules.pv.XavpStore;
import dev.kemi.runtime.transport.ListenSocket;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Serial forking by q-value, as Kamailio's tm/t_serial.c: t_load_contacts() moves the R-URI and
 * the branches into the contacts_avp xavp, highest priority first, each record marked with
 * q_flag when it is the last of its priority class; t_next_contacts() turns the next class into
 * the R-URI and branches; t_next_contact_flow() takes the next flow of the branch's instance.
 */
final class SerialForking {
    /** Kamailio's Q_FLAG: the record ends its priority class. */
    static final int Q_FLAG = 1 << 2;
    static final int STANDARD = 0, PROPORTIONAL = 1;

    private SerialForking() {}

    /** Instance, ruid and User-Agent of the R-URI branch set by t_next_contacts (msg->instance ...). */
    static final class RuriAttrs {
        String instance, ruid, ua;
    }

    static String ruriInstance(MessageContext ctx) {
        RuriAttrs a = ctx.attachment(RuriAttrs.class);
        return a == null ? null : a.instance;
    }

    private static final class Contact {
        String uri, dstUri, path, sock, instance, ruid, ua;
        int q, flags, qFlag, qIndex;
    }

    /** Kamailio's ruri_is_new: not used for a branch yet; in failure_route only once rewritten. */
    private static boolean ruriNew(MessageContext ctx) {
        TmState st = ctx.attachment(TmState.class);
        return st == null || st.ruriNew(ctx.msg());
    }

    static int load(MessageContext ctx, TmConfig cfg, int mode) {
        if (cfg.contactsAvp == null) {
            ScriptLog.log(ScriptLog.ERR, "tm: feature has been disabled - to enable define contacts_avp module parameter");
            return -1;
        }
        boolean ruriNew = ruriNew(ctx);
        int n = ctx.branches().size();
        if (n == 0 || (n == 1 && !ruriNew)) return 1;
        List<Contact> all = new ArrayList<>(n + 1);
        if (ruriNew) {
            Contact c = new Contact();
            c.uri = ctx.msg().requestUri();
            c.dstUri = ctx.dstUri();
            c.path = ctx.pathVector();
            ListenSocket s = SendSocket.get(ctx);
            c.sock = s == null ? null : s.toString();
            c.flags = ctx.branchFlags();
            c.q = ctx.ruriQ();
            RuriAttrs a = ctx.attachment(RuriAttrs.class);
            if (a != null) {
                c.instance = a.instance;
                c.ruid = a.ruid;
                c.ua = a.ua;
            }
            all.add(c);
        }
        for (int i = 0; i < n; i++) {
            BranchAttrs a = ctx.branchAttrs(i);
            Contact c = new Contact();
            c.uri = ctx.branches().get(i);
            c.q = a == null ? -1 : a.q();
            if (a != null) {
                c.dstUri = a.dstUri();
                c.path = a.path();
                c.sock = a.socket();
                c.flags = a.flags();
                c.instance = a.instance();
                c.ruid = a.ruid();
                c.ua = a.ua();
            }
            all.add(c);
        }
        List<Contact> sorted = new ArrayList<>(all.size());
        int qTotal = 0, positive = 0;
        for (Contact c : all) {
            c.qIndex = c.q;
            if (mode == PROPORTIONAL) {
                if (c.q > 0) {
                    qTotal += c.q;
                    positive++;
                }
                c.qIndex = qTotal;
            }
            if (sorted.isEmpty()) {
                sorted.add(c);
                continue;
            }
            // increasing priority; an equal one goes after its peers unless it has a Path
            int k = 0;
            while (k < sorted.size()) {
                Contact cur = sorted.get(k);
                int a = mode == PROPORTIONAL ? cur.qIndex : cur.q, b = mode == PROPORTIONAL ? c.qIndex : c.q;
                if (a < b || (a == b && empty(c.path))) k++;
                else break;
            }
            sorted.add(k, c);
        }
        XavpStore x = XavpStore.of(ctx).xavp();
        if (mode == PROPORTIONAL) proportional(x, cfg.contactsAvp, sorted, positive, qTotal);
        else standard(x, cfg.contactsAvp, sorted);
        ctx.clearBranches();
        TransactionEngine.state(ctx).consumeRuri(ctx.msg());
        return 1;
    }

    private static void standard(XavpStore x, String name, List<Contact> sorted) {
        sorted.getFirst().qFlag = 0;
        for (int i = 0; i + 1 < sorted.size(); i++) {
            sorted.get(i + 1).qFlag = sorted.get(i).q < sorted.get(i + 1).q ? Q_FLAG : 0;
        }
        // each record goes on top: the highest priority ends up first
        for (Contact c : sorted) x.addList(name, record(c, true));
    }

    private static void proportional(XavpStore x, String name, List<Contact> sorted, int n, int qTotal) {
        int pos = 0;
        for (int round = 0; round < n; round++) {
            int remove = 0;
            int rand = ThreadLocalRandom.current().nextInt(qTotal);
            for (Contact c : sorted) {
                if (c.q <= 0) continue;
                if (remove != 0) {
                    c.qIndex -= remove;
                } else if (c.qIndex > rand) {
                    remove = c.q;
                    qTotal -= remove;
                    c.qIndex -= remove;
                    c.qFlag = Q_FLAG;
                    x.insertList(name, pos++, record(c, true));
                }
            }
        }
        // contacts with q 0 or less last, one at a time
        for (Contact c : sorted) {
            if (c.q > 0) continue;
            c.qFlag = Q_FLAG;
            x.insertList(name, pos++, record(c, true));
        }
    }

    /** The xavp fields of a record, newest first as Kamailio adds them. */
    private static List<Map.Entry<String, Object>> record(Contact c, boolean withQFlag) {
        List<Map.Entry<String, Object>> f = new ArrayList<>(9);
        if (!withQFlag) f.add(new SimpleImmutableEntry<>("flags", c.flags));
        if (!empty(c.ua)) f.add(new SimpleImmutableEntry<>("ua", c.ua));
        if (!empty(c.ruid)) f.add(new SimpleImmutableEntry<>("ruid", c.ruid));
        if (!empty(c.instance)) f.add(new SimpleImmutableEntry<>("instance", c.instance));
        if (withQFlag) {
            f.add(new SimpleImmutableEntry<>("q_flag", c.qFlag));
            f.add(new SimpleImmutableEntry<>("flags", c.flags));
        }
        if (!empty(c.sock)) f.add(new SimpleImmutableEntry<>("sock", c.sock));
        if (!empty(c.path)) f.add(new SimpleImmutableEntry<>("path", c.path));
        if (!empty(c.dstUri)) f.add(new SimpleImmutableEntry<>("dst_uri", c.dstUri));
        f.add(new SimpleImmutableEntry<>("uri", c.uri));
        return f;
    }

    private static Contact contact(List<Map.Entry<String, Object>> fields) {
        Map<String, Object> m = new HashMap<>();
        for (Map.Entry<String, Object> e : fields) m.putIfAbsent(e.getKey(), e.getValue());
        Contact c = new Contact();
        c.uri = str(m.get("uri"));
        c.dstUri = str(m.get("dst_uri"));
        c.path = str(m.get("path"));
        c.sock = str(m.get("sock"));
        c.instance = str(m.get("instance"));
        c.ruid = str(m.get("ruid"));
        c.ua = str(m.get("ua"));
        c.flags = m.get("flags") instanceof Integer i ? i : 0;
        c.qFlag = m.get("q_flag") instanceof Integer i ? i : 0;
        return c;
    }

    /** The socket a record names; null when none is named; {@code bad} set when it is not ours. */
    private static ListenSocket socket(MessageContext ctx, Contact c, boolean[] bad) {
        if (empty(c.sock)) return null;
        ListenSocket s = SendSocket.parse(ctx, c.sock);
        if (s == null) {
            ScriptLog.log(ScriptLog.ERR, "tm: socket <" + c.sock + "> of a contact is not one of ours");
            bad[0] = true;
        }
        return s;
    }

    /** 1 a destination set was made, -2 contacts_avp is empty, -1 error. */
    static int next(MessageContext ctx, TmConfig cfg) {
        if (cfg.contactsAvp == null) {
            ScriptLog.log(ScriptLog.ERR, "tm: feature has been disabled - to enable define contacts_avp module parameter");
            return -1;
        }
        XavpStore x = XavpStore.of(ctx).xavp();
        String name = cfg.contactsAvp;
        List<Map.Entry<String, Object>> fields = x.fields(name);
        if (fields == null) return -2;
        Contact first = contact(fields);
        boolean[] bad = {false};
        ListenSocket sock = socket(ctx, first, bad);
        if (bad[0] || first.uri == null) {
            x.removeFirst(name);
            return -1;
        }
        Set<String> instances = new HashSet<>();
        RuriAttrs ra = ctx.attachment(RuriAttrs.class, RuriAttrs::new);
        if (first.instance != null && first.qFlag == 0) {
            instances.add(first.instance);
            ra.instance = first.instance;
        }
        ra.ruid = first.ruid;
        ra.ua = first.ua;
        ctx.msg().setRequestUri(first.uri);
        ctx.setDstUri(first.dstUri);
        ctx.setPathVector(first.path);
        SendSocket.set(ctx, sock);
        ctx.setBranchFlags(first.flags);
        TransactionEngine.state(ctx).ruriConsumed = false;
        x.removeFirst(name);
        if (first.qFlag != 0) return 1;
        if (cfg.contactFlowsAvp != null) x.removeAll(cfg.contactFlowsAvp);
        while ((fields = x.fields(name)) != null) {
            Contact c = contact(fields);
            x.removeFirst(name);
            ListenSocket s = socket(ctx, c, bad);
            if (bad[0]) return -1;
            if (c.instance != null && instances.contains(c.instance)) {
                // another flow of an instance already in this set: for t_next_contact_flow()
                if (cfg.contactFlowsAvp != null) x.addList(cfg.contactFlowsAvp, record(c, false));
            } else {
                if (c.instance != null && c.qFlag == 0) instances.add(c.instance);
                ctx.appendBranch(c.uri == null ? "" : c.uri,
                        new BranchAttrs(c.dstUri, c.path, 0, c.flags, s == null ? null : s.toString(), c.instance, c.ruid, c.ua));
            }
            if (c.qFlag != 0) return 1;
        }
        return 1;
    }

    /** 1 a branch to the next flow of this branch's instance was added, -2 nothing to do, -1 none matched / error. */
    static int nextFlow(MessageContext ctx, TmConfig cfg) {
        if (cfg.contactFlowsAvp == null) {
            ScriptLog.log(ScriptLog.ERR, "tm: feature has been disabled - to enable define contact_flows_avp module parameter");
            return -1;
        }
        TmState st = ctx.attachment(TmState.class);
        Transaction t = st == null ? null : st.tx;
        String instance = t != null && st.branch >= 0 && st.branch < t.branches.size() ? t.branches.get(st.branch).instance : null;
        if (empty(instance)) return -2;
        XavpStore x = XavpStore.of(ctx).xavp();
        List<List<Map.Entry<String, Object>>> flows = x.listsNamed(cfg.contactFlowsAvp);
        if (flows.isEmpty()) return -2;
        for (int k = 0; k < flows.size(); k++) {
            Contact c = contact(flows.get(k));
            if (!instance.equals(c.instance) || c.uri == null) continue;
            boolean[] bad = {false};
            ListenSocket s = socket(ctx, c, bad);
            x.removeListAt(cfg.contactFlowsAvp, k);
            if (bad[0]) return -1;
            ctx.appendBranch(c.uri, new BranchAttrs(c.dstUri, c.path, 0, c.flags, s == null ? null : s.toString(), c.instance, c.ruid, c.ua));
            return 1;
        }
        return -1;
    }

    private static boolean empty(String s) {
        return s == null || s.isEmpty();
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
