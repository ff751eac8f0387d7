package dev.kemi.engine.polyglot;

import java.util.LinkedHashMap;
import java.util.Map;

/** Outcome of a reload, as app_python.reload / app_jsdt.reload reply it: {old, new}. */
public record ReloadResult(int oldVersion, int newVersion) {
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("old", oldVersion);
        m.put("new", newVersion);
        return m;
    }
}
