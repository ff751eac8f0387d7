package dev.kemi.runtime.rpc;

import dev.kemi.runtime.cli.LogLevels;
import dev.kemi.runtime.core.ProxyServices;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * cfg.get / cfg.set_now_int / cfg.set / cfg.list with cfg_rpc's shapes and faults, over core.debug
 * (the log level) only: the stand-in while no cfg_rpc module registers the cfg framework's commands.
 */
final class CfgRpc {
    private final Map<String, Map<String, AtomicInteger>> vars = new LinkedHashMap<>();

    CfgRpc(ProxyServices services) {
        AtomicInteger debug = new AtomicInteger(parse(services == null ? null : services.globalParam("debug"), 2));
        vars.put("core", new LinkedHashMap<>(Map.of("debug", debug)));
    }

    void register(RpcRegistry r) {
        r.register("cfg.get", this::get);
        r.register("cfg.set_now_int", this::set);
        r.register("cfg.seti", this::set);
        r.register("cfg.set", this::set);
        r.register("cfg.list", p -> {
            List<Object> out = new ArrayList<>();
            vars.forEach((g, m) -> m.keySet().forEach(n -> out.add(g + ": " + n)));
            return out;
        });
    }

    private Object get(List<Object> p) {
        if (p.isEmpty()) throw new RpcException(400, "Too few parameters");
        Map<String, AtomicInteger> group = vars.get(String.valueOf(p.get(0)));
        if (p.size() == 1) {
            if (group == null) throw new RpcException(400, "Failed to get the variable");
            Map<String, Object> out = new LinkedHashMap<>();
            group.forEach((n, v) -> out.put(n, v.get()));
            return out;
        }
        AtomicInteger v = group == null ? null : group.get(String.valueOf(p.get(1)));
        if (v == null) throw new RpcException(400, "Failed to get the variable");
        return v.get();
    }

    private Object set(List<Object> p) {
        if (p.size() < 3) throw new RpcException(400, "Too few parameters");
        if (!(p.get(2) instanceof Number n)) {
            throw new RpcException(400, "error at parameter 2: expected integer type but record doesn't match type");
        }
        Map<String, AtomicInteger> group = vars.get(String.valueOf(p.get(0)));
        AtomicInteger v = group == null ? null : group.get(String.valueOf(p.get(1)));
        if (v == null) throw new RpcException(400, "Failed to set the variable");
        v.set(n.intValue());
        if (p.get(0).equals("core") && p.get(1).equals("debug")) LogLevels.apply(Integer.toString(n.intValue()));
        return null;
    }

    private static int parse(String v, int dflt) {
        try {
            return v == null ? dflt : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }
}
