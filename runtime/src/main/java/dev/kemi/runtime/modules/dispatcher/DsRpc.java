package dev.kemi.runtime.modules.dispatcher;

import dev.kemi.runtime.rpc.RpcException;
import dev.kemi.runtime.rpc.RpcMember;
import dev.kemi.runtime.rpc.RpcRegistry;
import dev.kemi.runtime.rpc.RpcUnsigned;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** dispatcher.list / set_state / set_duid_state / reload / ping_active / hash, with Kamailio's output shapes and faults. */
final class DsRpc {
    private final DispatcherModule m;

    DsRpc(DispatcherModule m) {
        this.m = m;
    }

    void register(RpcRegistry r) {
        r.register("dispatcher.list", this::list);
        r.register("dispatcher.reload", p -> {
            String err = m.reload();
            if (err != null) throw new RpcException(500, err.equals("failed") ? "Reload Failed" : "Ongoing reload");
            return "Ok. Dispatcher successfully reloaded.";
        });
        r.register("dispatcher.set_state", p -> setState(p, false));
        r.register("dispatcher.set_duid_state", p -> setState(p, true));
        r.register("dispatcher.ping_active", this::pingActive);
        r.register("dispatcher.hash", this::hash);
        r.register("dispatcher.add", this::add);
        r.register("dispatcher.remove", this::remove);
    }

    /** group, URI [, flags [, priority [, attrs]]]: in memory only, as 5.6.3. */
    private Object add(List<Object> p) {
        if (!m.reloadTurn()) throw new RpcException(500, "Ongoing reload");
        Integer group = p.size() >= 2 && p.get(1) != null ? integer(p.get(0)) : null;
        Integer flags = p.size() > 2 ? integer(p.get(2)) : Integer.valueOf(0);
        Integer priority = p.size() > 3 ? integer(p.get(3)) : Integer.valueOf(0);
        if (group == null || flags == null || priority == null) throw new RpcException(500, "Invalid Parameters");
        String attrs = p.size() > 4 && p.get(4) != null ? p.get(4).toString() : null;
        if (!m.addDestination(group, p.get(1).toString(), flags, priority, attrs)) {
            throw new RpcException(500, "Adding dispatcher dst failed");
        }
        return "Ok. Dispatcher destination added.";
    }

    private Object remove(List<Object> p) {
        if (!m.reloadTurn()) throw new RpcException(500, "Ongoing reload");
        Integer group = p.size() >= 2 && p.get(1) != null ? integer(p.get(0)) : null;
        if (group == null) throw new RpcException(500, "Invalid Parameters");
        if (!m.removeDestination(group, p.get(1).toString())) throw new RpcException(500, "Removing dispatcher dst failed");
        return "Ok. Dispatcher destination removed.";
    }

    /** An RPC int as rpc->scan "d" reads it; null when it is not one. */
    private static Integer integer(Object o) {
        if (o instanceof Number n) return n.intValue();
        if (o == null) return null;
        try {
            return Integer.parseInt(o.toString().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private Object list(List<Object> p) {
        String mode = p.isEmpty() || p.get(0) == null ? "" : p.get(0).toString();
        boolean shortMode = mode.equalsIgnoreCase("short");
        boolean full = mode.equalsIgnoreCase("full");
        DsList list = m.list();
        if (list.count() <= 0) throw new RpcException(500, "No Destination Sets");
        List<Object> records = new ArrayList<>();
        for (DsSet s : list.sets()) {
            List<Object> targets = new ArrayList<>();
            for (DsDest d : s.dests) {
                int flags;
                synchronized (s) {
                    flags = d.flags;
                }
                Map<String, Object> dest = new LinkedHashMap<>();
                dest.put("URI", d.uri);
                dest.put("FLAGS", Ds.stateLetters(flags));
                dest.put("PRIORITY", d.priority);
                if (full) {
                    dest.put("HOST", d.host);
                    dest.put("IPADDR", d.ip == null ? "" : d.ip.getHostAddress());
                    dest.put("PORT", d.port);
                    dest.put("PROTOID", d.proto == null ? 0 : protoId(d.proto));
                    dest.put("DNSTIME_SEC", 0);
                    dest.put("DNSTIME_USEC", 0);
                }
                if (!shortMode && d.attrs.body() != null) {
                    // unset attributes are null strs, as Kamailio adds them (kamcmd: "<null string>")
                    Map<String, Object> a = new LinkedHashMap<>();
                    DsAttrs at = d.attrs;
                    a.put("BODY", at.body());
                    a.put("DUID", at.duid());
                    a.put("MAXLOAD", at.maxload());
                    a.put("WEIGHT", at.weight());
                    a.put("RWEIGHT", at.rweight());
                    a.put("SOCKET", at.socket());
                    a.put("SOCKNAME", at.sockname());
                    a.put("OBPROXY", at.obproxy());
                    dest.put("ATTRS", a);
                }
                if (m.callLoad() != null) {
                    int load;
                    synchronized (s) {
                        load = d.dload;
                    }
                    dest.put("RUNTIME", Map.of("DLGLOAD", load));
                }
                targets.add(new RpcMember("DEST", dest));
            }
            Map<String, Object> set = new LinkedHashMap<>();
            set.put("ID", s.id);
            set.put("TARGETS", targets);
            records.add(new RpcMember("SET", set));
        }
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("NRSETS", list.count());
        top.put("RECORDS", records);
        return top;
    }

    /** Kamailio's PROTO_* numbers. */
    private static int protoId(dev.kemi.runtime.transport.Protocol p) {
        return switch (p) {
            case UDP -> 1;
            case TCP -> 2;
            case TLS -> 3;
            case WS -> 6;
            case WSS -> 7;
            default -> 0;
        };
    }

    private Object setState(List<Object> p, boolean byDuid) {
        if (p.size() < 3 || p.get(0) == null || p.get(1) == null || p.get(2) == null) throw new RpcException(500, "Invalid Parameters");
        String state = p.get(0).toString();
        int group;
        try {
            group = p.get(1) instanceof Number n ? n.intValue() : Integer.parseInt(p.get(1).toString().trim());
        } catch (NumberFormatException e) {
            throw new RpcException(500, "Invalid Parameters");
        }
        String dest = p.get(2).toString();
        if (state.isEmpty()) throw new RpcException(500, "Invalid State Parameter");
        boolean probing = state.length() > 1 && (state.charAt(1) == 'P' || state.charAt(1) == 'p');
        int st = switch (state.charAt(0)) {
            case '0', 'I', 'i' -> Ds.INACTIVE | (probing ? Ds.PROBING : 0);
            case '1', 'A', 'a' -> probing ? Ds.PROBING : 0;
            case '2', 'D', 'd' -> Ds.DISABLED;
            case '3', 'T', 't' -> Ds.TRYING | (probing ? Ds.PROBING : 0);
            default -> throw new RpcException(500, "Unknown State Value");
        };
        if (dest.equals("all")) {
            m.states().reinit(group, null, st);
        } else if (!(byDuid ? m.states().reinitDuid(group, dest, st) : m.states().reinit(group, dest, st))) {
            throw new RpcException(500, "State Update Failed");
        }
        return "Ok. Dispatcher state updated.";
    }

    private Object pingActive(List<Object> p) {
        int old = m.pingActive();
        Map<String, Object> out = new LinkedHashMap<>();
        if (p.isEmpty() || p.get(0) == null) {
            out.put("OldPingState", old);
            return out;
        }
        int v;
        try {
            v = p.get(0) instanceof Number n ? n.intValue() : Integer.parseInt(p.get(0).toString().trim());
        } catch (NumberFormatException e) {
            out.put("OldPingState", old);
            return out;
        }
        m.pingActive(v);
        out.put("NewPingState", v);
        out.put("OldPingState", old);
        return out;
    }

    private Object hash(List<Object> p) {
        if (p.size() < 2 || p.get(1) == null) throw new RpcException(500, "Invalid Parameters");
        int slots;
        try {
            slots = p.get(0) instanceof Number n ? n.intValue() : Integer.parseInt(p.get(0).toString().trim());
        } catch (NumberFormatException e) {
            throw new RpcException(500, "Invalid Parameters");
        }
        String v2 = p.size() > 2 && p.get(2) != null ? p.get(2).toString() : null;
        int h = DsHash.hash(p.get(1).toString(), v2);
        Map<String, Object> out = new LinkedHashMap<>();
        // Kamailio adds both as "u": kamcmd shows a high hash negative, jsonrpcs unsigned
        out.put("hashid", new RpcUnsigned(h));
        out.put("slot", new RpcUnsigned(slots > 0 ? (int) (Integer.toUnsignedLong(h) % slots) : 0));
        return out;
    }
}
