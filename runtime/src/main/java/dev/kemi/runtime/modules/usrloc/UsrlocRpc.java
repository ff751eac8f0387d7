package dev.kemi.runtime.modules.usrloc;

import dev.kemi.runtime.rpc.RpcException;
import dev.kemi.runtime.rpc.RpcMember;
import dev.kemi.runtime.rpc.RpcRegistry;
import dev.kemi.runtime.rpc.RpcUnsigned;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** usrloc's RPC commands with Kamailio's names, parameters, faults and output shapes. */
final class UsrlocRpc {
    /** Call-ID, path and CSeq Kamailio gives contacts added by ul.add (and matches ul.rm_contact with). */
    static final String RPC_CALLID = "dfjrewr12386fd6-343@kamailio.rpc";
    static final String RPC_PATH = "dummypath";
    static final int RPC_CSEQ = 1;
    static final String RPC_UA = "kamailio SIP Router - RPC Server";
    private static final String NOT_SET = "[not set]";

    private final UsrlocModule ul;

    UsrlocRpc(UsrlocModule ul) {
        this.ul = ul;
    }

    void register(RpcRegistry r) {
        r.register("ul.dump", this::dump);
        r.register("ul.lookup", this::lookup);
        r.register("ul.rm", this::rm);
        r.register("ul.rm_contact", this::rmContact);
        r.register("ul.flush", p -> {
            ul.flushAll();
            return null;
        });
        r.register("ul.add", this::add);
    }

    /** Entries added to an array by name (struct_add on an array handle) are RpcMembers, as ctl and jsonrpcs carry them. */
    private Object dump(List<Object> p) {
        boolean brief = !p.isEmpty() && "brief".equals(String.valueOf(p.get(0)));
        List<Object> domains = new ArrayList<>();
        long now = ul.now();
        for (UDomain d : ul.domainsInDumpOrder()) {
            List<Object> aors = new ArrayList<>();
            int[] n = {0};
            d.forEach(r -> {
                n[0]++;
                if (brief) {
                    aors.add(new RpcMember("AoR", r.aor()));
                    return;
                }
                Map<String, Object> info = new LinkedHashMap<>();
                info.put("AoR", r.aor());
                info.put("HashID", new RpcUnsigned(r.hash()));
                List<Object> contacts = new ArrayList<>();
                for (UContact c : r.contacts()) contacts.add(new RpcMember("Contact", contact(c, now)));
                info.put("Contacts", contacts);
                aors.add(new RpcMember("Info", info));
            });
            Map<String, Object> dom = new LinkedHashMap<>();
            dom.put("Domain", d.name());
            dom.put("Size", d.size());
            dom.put("AoRs", aors);
            Map<String, Object> stats = new LinkedHashMap<>();
            stats.put("Records", n[0]);
            stats.put("Max-Slots", d.maxSlot());
            dom.put("Stats", stats);
            domains.add(new RpcMember("Domain", dom));
        }
        return Map.of("Domains", domains);
    }

    /** rpc_dump_contact: one binding as Kamailio prints it. */
    static Map<String, Object> contact(UContact c, long now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Address", c.contact());
        if (c.expires() == 0) m.put("Expires", "permanent");
        else if (c.expires() == UContact.EXPIRED_TIME) m.put("Expires", "deleted");
        else if (now > c.expires()) m.put("Expires", "expired");
        else m.put("Expires", (int) (c.expires() - now));
        m.put("Q", c.q() == UContact.Q_UNSPECIFIED ? -1.0 : c.q() / 1000.0);
        m.put("Call-ID", c.callId());
        m.put("CSeq", c.cseq());
        m.put("User-Agent", orNotSet(c.userAgent()));
        m.put("Received", orNotSet(c.received()));
        m.put("Path", orNotSet(c.path()));
        m.put("State", switch (c.state()) {
            case NEW -> "CS_NEW";
            case SYNC -> "CS_SYNC";
            case DIRTY -> "CS_DIRTY";
        });
        m.put("Flags", new RpcUnsigned(c.flags()));
        m.put("CFlags", new RpcUnsigned(c.cflags()));
        m.put("Socket", orNotSet(c.socket()));
        m.put("Methods", new RpcUnsigned(c.methods()));
        m.put("Ruid", orNotSet(c.ruid()));
        m.put("Instance", orNotSet(c.instance()));
        m.put("Reg-Id", new RpcUnsigned(c.regId()));
        m.put("Server-Id", c.serverId());
        m.put("Tcpconn-Id", c.tcpconnId());
        m.put("Keepalive", c.keepalive());
        m.put("Last-Keepalive", (int) c.lastModified());
        m.put("KA-Roundtrip", 0);
        m.put("Last-Modified", (int) c.lastModified());
        return m;
    }

    private static String orNotSet(String s) {
        return s == null || s.isEmpty() ? NOT_SET : s;
    }

    private UDomain domain(Object table) {
        UDomain d = ul.findDomain(String.valueOf(table));
        if (d == null) throw new RpcException(500, "Domain table not found");
        return d;
    }

    /** rpc_fix_aor: with use_domain the AoR needs its domain, without it the domain is cut off. */
    private String fixAor(Object aorParam) {
        String aor = String.valueOf(aorParam);
        int at = aor.indexOf('@');
        if (ul.useDomain()) {
            if (at < 0) throw new RpcException(500, "Domain missing in AOR");
        } else if (at >= 0) {
            aor = aor.substring(0, at);
        }
        return aor.toLowerCase(Locale.ROOT);
    }

    private static void need(List<Object> p, int n, String what) {
        if (p.size() < n) throw new RpcException(500, "Not enough parameters (" + what + ")");
    }

    private Object lookup(List<Object> p) {
        need(p, 2, "table and AOR to lookup");
        UDomain d = domain(p.get(0));
        String aor = fixAor(p.get(1));
        long now = ul.now();
        List<Object> contacts = withRecord(d, aor, r -> {
            if (r.contacts().isEmpty()) throw new RpcException(500, "AOR not found in location table");
            List<Object> out = new ArrayList<>();
            for (UContact c : r.contacts()) if (c.valid(now)) out.add(new RpcMember("Contact", contact(c, now)));
            return out;
        });
        if (contacts.isEmpty()) throw new RpcException(500, "AOR has no contacts");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("AoR", aor);
        m.put("Contacts", contacts);
        return m;
    }

    private Object rm(List<Object> p) {
        need(p, 2, "table and AOR to lookup");
        UDomain d = domain(p.get(0));
        String aor = fixAor(p.get(1));
        return withRecord(d, aor, r -> {
            try {
                r.deleteAll();
            } catch (UsrlocException e) {
                throw new RpcException(500, "Failed to delete AOR");
            }
            return null;
        });
    }

    private Object rmContact(List<Object> p) {
        need(p, 3, "table, AOR and contact");
        UDomain d = domain(p.get(0));
        String aor = fixAor(p.get(1));
        String uri = String.valueOf(p.get(2));
        return withRecord(d, aor, r -> {
            if (r.contacts().isEmpty()) throw new RpcException(404, "AOR not found");
            URecord.Match m = r.find(uri, RPC_CALLID, RPC_PATH, RPC_CSEQ + 1);
            if (m.found() == URecord.Found.NOT_FOUND) throw new RpcException(404, "Contact not found");
            if (m.found() != URecord.Found.FOUND) throw new RpcException(500, "Internal error (can't get contact)");
            try {
                r.delete(m.contact());
            } catch (UsrlocException e) {
                throw new RpcException(500, "Internal error (can't delete contact)");
            }
            return null;
        });
    }

    /** ul.add table aor contact expires q path flags cflags methods [received [socket]]. */
    private Object add(List<Object> p) {
        if (p.size() < 9) throw new RpcException(500, "Not enough parameters or wrong format");
        ContactInfo ci = new ContactInfo();
        String uri = String.valueOf(p.get(2));
        try {
            ci.expires = Long.parseLong(String.valueOf(p.get(3)).trim());
            ci.q = (int) Math.round(Double.parseDouble(String.valueOf(p.get(4)).trim()) * 1000);
            String path = String.valueOf(p.get(5));
            if (isSet(path)) ci.path = path;
            ci.flags = (int) Long.parseLong(String.valueOf(p.get(6)).trim());
            ci.cflags = (int) Long.parseLong(String.valueOf(p.get(7)).trim());
            ci.methods = (int) Long.parseLong(String.valueOf(p.get(8)).trim());
        } catch (NumberFormatException e) {
            throw new RpcException(500, "Not enough parameters or wrong format");
        }
        if (p.size() > 9 && isSet(String.valueOf(p.get(9)))) ci.received = String.valueOf(p.get(9));
        if (p.size() > 10 && isSet(String.valueOf(p.get(10)))) ci.socket = String.valueOf(p.get(10));
        if (ci.q == -1000) ci.q = UContact.Q_UNSPECIFIED;
        UDomain d = domain(p.get(0));
        String aor = fixAor(p.get(1));
        ci.ruid = ul.newRuid();
        ci.serverId = ul.serverId();
        ci.callId = RPC_CALLID;
        ci.userAgent = RPC_UA;
        ci.cseq = RPC_CSEQ;
        long now = ul.now();
        ci.lastModified = now;
        if (ci.expires != 0) ci.expires += now;
        return withRecord(d, aor, r -> {
            URecord.Match m = r.contacts().isEmpty() ? new URecord.Match(URecord.Found.NOT_FOUND, null)
                    : r.find(uri, RPC_CALLID, RPC_PATH, RPC_CSEQ + 1);
            try {
                if (m.contact() != null) r.update(m.contact(), ci);
                else r.insert(uri, ci);
            } catch (UsrlocException e) {
                throw new RpcException(500, m.contact() != null ? "Can't update contact" : "Can't insert contact");
            }
            return null;
        });
    }

    /** ul_rpc_is_param_set: "." or "0" means not given. */
    private static boolean isSet(String s) {
        return !s.isEmpty() && !".".equals(s) && !"0".equals(s);
    }

    private interface Work<T> {
        T apply(URecord r);
    }

    private static <T> T withRecord(UDomain d, String aor, Work<T> w) {
        try {
            return d.locked(aor, w::apply);
        } catch (UsrlocException e) {
            throw new RpcException(500, "Internal error: " + e.getMessage());
        }
    }
}
