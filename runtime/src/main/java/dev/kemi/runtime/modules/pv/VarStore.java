package dev.kemi.runtime.modules.pv;

import java.util.HashMap;
import java.util.Map;

/**
 * $var(name) of one proxy: per worker thread (Kamailio keeps them per process), never null
 * (unset and $null read as 0). Two proxies sharing a thread (compare runs them inline) keep
 * their own values.
 */
public final class VarStore {
    private final ThreadLocal<Map<String, Object>> vars = ThreadLocal.withInitial(HashMap::new);

    public Object get(String name) {
        Object v = vars.get().get(name);
        return v == null ? Integer.valueOf(0) : v;
    }

    /** Whether the script has set $var(name) in this worker. */
    public boolean has(String name) {
        return vars.get().containsKey(name);
    }

    /** Every $var of this worker, name to value (a snapshot). */
    public Map<String, Object> all() {
        return new java.util.LinkedHashMap<>(vars.get());
    }

    /** null ($null) stores 0. */
    public void set(String name, Object value) {
        vars.get().put(name, value == null ? Integer.valueOf(0) : value);
    }
}
