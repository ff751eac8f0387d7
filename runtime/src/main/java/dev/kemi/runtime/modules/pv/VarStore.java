package dev.kemi.runtime.modules.pv;

import java.util.HashMap;
import java.util.Map;

/** $var(name): per worker thread, never null (unset and $null read as 0), as Kamailio's pv. */
public final class VarStore {
    private static final ThreadLocal<Map<String, Object>> VARS = ThreadLocal.withInitial(HashMap::new);

    private VarStore() {}

    public static Object get(String name) {
        Object v = VARS.get().get(name);
        return v == null ? Integer.valueOf(0) : v;
    }

    /** null ($null) stores 0. */
    public static void set(String name, Object value) {
        VARS.get().put(name, value == null ? Integer.valueOf(0) : value);
    }
}
