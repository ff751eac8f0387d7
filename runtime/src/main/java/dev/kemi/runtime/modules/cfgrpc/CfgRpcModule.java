package dev.kemi.runtime.modules.cfgrpc;

import dev.kemi.api.Module;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.core.RuntimeModule;
import dev.kemi.runtime.modules.cfg.CfgFramework;
import dev.kemi.runtime.rpc.RpcException;
import dev.kemi.runtime.rpc.RpcProvider;
import dev.kemi.runtime.rpc.RpcRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * cfg_rpc: the cfg framework's variables over RPC, with 5.6.3's names, faults and shapes.
 * Delayed changes (cfg.set_delayed*, commit, rollback, diff) and group instances are not here.
 */
@Module(value = "cfg_rpc", loadName = "cfg_rpc")
public final class CfgRpcModule implements RuntimeModule, RpcProvider {
    private CfgFramework cfg;

    @Override
    public void init(ProxyServices services) {
        cfg = services.api(CfgFramework.class, "cfg_rpc", "core");
    }

    @Override
    public void registerRpc(RpcRegistry r) {
        r.register("cfg.get", this::get);
        r.register("cfg.set", p -> set(p, null));
        r.register("cfg.set_now_int", p -> set(p, Integer.class));
        r.register("cfg.seti", p -> set(p, Integer.class));
        r.register("cfg.set_now_string", p -> set(p, String.class));
        r.register("cfg.sets", p -> set(p, String.class));
        r.register("cfg.help", this::help);
        r.register("cfg.list", this::list);
    }

    private CfgFramework cfg() {
        if (cfg == null) throw new RpcException(500, "cfg framework not initialised");
        return cfg;
    }

    private static String str(List<Object> p, int i) {
        if (p.size() <= i || p.get(i) == null) throw new RpcException(400, "Invalid parameters");
        return p.get(i).toString();
    }

    /** cfg.get group [var]: the value, or a struct of the group's variables. */
    private Object get(List<Object> p) {
        if (p.isEmpty()) throw new RpcException(500, "Failed to get the parameters");
        String group = str(p, 0);
        if (p.size() > 1) {
            CfgFramework.Var v = cfg().var(group, str(p, 1));
            if (v == null) throw new RpcException(400, "Failed to get the variable");
            return v.value();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        List<CfgFramework.Var> vars = cfg().group(group);
        if (vars != null) for (CfgFramework.Var v : vars) out.put(v.name, v.value());
        return out;
    }

    /** cfg.set* group var value: nothing on success, 400 "Failed to set the variable" otherwise. */
    private Object set(List<Object> p, Class<?> type) {
        String group = str(p, 0), var = str(p, 1);
        if (p.size() < 3 || p.get(2) == null) throw new RpcException(400, "Invalid parameters");
        Object value = p.get(2);
        if (type == Integer.class) {
            value = asInt(value);
        } else if (type == String.class) {
            value = value.toString();
        } else if (value instanceof Number n) {
            value = n.intValue();
        }
        if (!cfg().set(group, var, value)) throw new RpcException(400, "Failed to set the variable");
        return null;
    }

    private static Integer asInt(Object v) {
        if (v instanceof Number n) return n.intValue();
        try {
            return Integer.parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new RpcException(400, "Invalid parameters");
        }
    }

    /** cfg.help group var: the description and the parameter type line. */
    private Object help(List<Object> p) {
        CfgFramework.Var v = cfg().var(str(p, 0), str(p, 1));
        if (v == null) throw new RpcException(400, "Failed to get the variable description");
        return List.of(v.description, v.isInt ? "(parameter type is integer)" : "(parameter type is string)");
    }

    /** cfg.list [group]: "group: var" lines. */
    private Object list(List<Object> p) {
        String only = p.isEmpty() || p.get(0) == null ? null : p.get(0).toString();
        List<String> out = new ArrayList<>();
        for (String g : cfg().groups()) {
            if (only != null && !only.isEmpty() && !only.equals(g)) continue;
            for (CfgFramework.Var v : cfg().group(g)) out.add(g + ": " + v.name);
        }
        return out;
    }
}
