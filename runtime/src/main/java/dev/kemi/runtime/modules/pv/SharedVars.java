package dev.kemi.runtime.modules.pv;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** $shv(name) of one proxy: shared by all its workers; unset reads as 0. */
public final class SharedVars {
    private final Map<String, Object> vars = new ConcurrentHashMap<>();

    public Object get(String name) {
        return vars.getOrDefault(name, 0);
    }

    public void set(String name, Object value) {
        vars.put(name, value == null ? Integer.valueOf(0) : value);
    }
}
