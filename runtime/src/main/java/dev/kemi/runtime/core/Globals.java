package dev.kemi.runtime.core;

import dev.kemi.api.ScriptException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The cfg file's global parameters (listen, alias, children ...) as the runtime reads them. */
public interface Globals {

    /** One {@code name=value} line. */
    record Setting(String value, String file, int line) {
        /** A configuration error pointing at this line. */
        public ScriptException error(String reason) {
            return new ScriptException(file, line, 0, reason);
        }
    }

    /** Every setting of that name, in file order (listen=, alias= repeat). */
    List<Setting> all(String name);

    /** Last value, or null. */
    default String get(String name) {
        List<Setting> s = all(name);
        return s.isEmpty() ? null : s.get(s.size() - 1).value();
    }

    default int intValue(String name, int dflt) {
        List<Setting> s = all(name);
        if (s.isEmpty()) return dflt;
        Setting last = s.get(s.size() - 1);
        try {
            return Integer.parseInt(unquote(last.value()).trim());
        } catch (NumberFormatException e) {
            throw last.error(name + ": not a number: " + last.value());
        }
    }

    default boolean boolValue(String name, boolean dflt) {
        List<Setting> s = all(name);
        if (s.isEmpty()) return dflt;
        Setting last = s.get(s.size() - 1);
        return switch (unquote(last.value()).trim().toLowerCase(Locale.ROOT)) {
            case "yes", "on", "true", "1" -> true;
            case "no", "off", "false", "0" -> false;
            default -> throw last.error(name + ": not a boolean: " + last.value());
        };
    }

    /** Removes one pair of surrounding double or single quotes. */
    static String unquote(String v) {
        if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    /** Globals from a map (tests, tools): every value located at "&lt;inline&gt;:0". */
    static Globals of(Map<String, List<String>> values) {
        return name -> {
            List<Setting> out = new ArrayList<>();
            for (String v : values.getOrDefault(name, List.of())) out.add(new Setting(v, "<inline>", 0));
            return out;
        };
    }
}
