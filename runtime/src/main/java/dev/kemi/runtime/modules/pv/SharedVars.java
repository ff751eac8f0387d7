package dev.kemi.runtime.modules.pv;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** $shv(name): shared by all workers; unset reads as 0. */
public final class SharedVars {
    private static final Map<String, Object> VARS = new ConcurrentHashMap<>();

    private SharedVars() {}

    public static Object get(String name) {
        return VARS.getOrDefault(name, 0);
    }

    public static void set(String name, Object value) {
        VARS.put(name, value == null ? Integer.valueOf(0) : value);
    }
}
