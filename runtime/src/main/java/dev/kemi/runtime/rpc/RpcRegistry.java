package dev.kemi.runtime.rpc;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** RPC commands by their Kamailio names ("core.version", "tm.stats", "app_python.reload" ...). */
public final class RpcRegistry {
    private final Map<String, RpcMethod> methods = new ConcurrentHashMap<>();

    public RpcRegistry() {
        register("system.listMethods", p -> List.copyOf(new TreeMap<>(methods).keySet()));
    }

    public void register(String name, RpcMethod method) {
        if (methods.putIfAbsent(name, method) != null) {
            throw new IllegalArgumentException("RPC method registered twice: " + name);
        }
    }

    public boolean has(String name) {
        return methods.containsKey(name);
    }

    /** @throws RpcException 500 "command X not found" as Kamailio answers */
    public Object call(String name, List<Object> params) {
        RpcMethod m = methods.get(name);
        if (m == null) throw new RpcException(500, "command " + name + " not found");
        return m.call(params);
    }
}
