package dev.kemi.runtime.modules.cfg;

import dev.kemi.api.CfgDeclarations;
import dev.kemi.api.Module;
import dev.kemi.api.Pv;
import dev.kemi.api.PvExports;
import dev.kemi.api.PvSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kamailio's cfg framework for one proxy: the variables declared in the script
 * ({@code pstn.gw_ip = "" desc "PSTN GW Address"}), read by {@code $sel(cfg_get.group.var)} and
 * changed at run time by cfg_rpc. Changes apply at once to every worker (Kamailio: from each
 * process's next message). Kamailio's own groups (core, tm, sl ...) are not exposed yet.
 */
@Module("")
public final class CfgFramework implements CfgDeclarations, PvExports {
    /** One variable: its type is fixed by the declared value (int or string). */
    public static final class Var {
        public final String group, name, description;
        public final boolean isInt;
        private volatile Object value;

        Var(String group, String name, Object value, String description) {
            this.group = group;
            this.name = name;
            this.description = description;
            this.isInt = value instanceof Integer;
            this.value = value;
        }

        public Object value() {
            return value;
        }
    }

    private final Map<String, Map<String, Var>> groups = new ConcurrentHashMap<>();
    private final List<String> groupOrder = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void declare(String group, String name, Object value, String description) {
        Map<String, Var> g = groups.computeIfAbsent(group, k -> {
            groupOrder.add(k);
            return java.util.Collections.synchronizedMap(new LinkedHashMap<>());
        });
        if (g.putIfAbsent(name, new Var(group, name, value, description)) != null) {
            throw new IllegalArgumentException("cfg variable " + group + "." + name + " declared twice");
        }
    }

    /** The variable, or null. */
    public Var var(String group, String name) {
        Map<String, Var> g = groups.get(group);
        return g == null ? null : g.get(name);
    }

    /** The variables of a group in declaration order; null if there is no such group. */
    public List<Var> group(String group) {
        Map<String, Var> g = groups.get(group);
        if (g == null) return null;
        synchronized (g) {
            return new ArrayList<>(g.values());
        }
    }

    /** Group names in declaration order. */
    public List<String> groups() {
        return List.copyOf(groupOrder);
    }

    /**
     * Sets a value, converted to the variable's type as Kamailio's cfg_set_now does (an int for
     * a string variable becomes its decimal text; a string for an int variable must be a number).
     *
     * @return false if there is no such variable or the value does not convert
     */
    public boolean set(String group, String name, Object value) {
        Var v = var(group, name);
        if (v == null || value == null) return false;
        if (v.isInt) {
            if (value instanceof Integer) {
                v.value = value;
                return true;
            }
            try {
                v.value = Integer.parseInt(value.toString().trim());
                return true;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        v.value = value.toString();
        return true;
    }

    @Override
    public Set<String> pvNames() {
        return Set.of("sel");
    }

    /** $sel(cfg_get.group.var) and the message selects of {@link Selects}; other selects are not implemented. */
    @Override
    public Pv resolvePv(PvSpec spec) {
        String p = spec.param();
        Pv message = p == null ? null : Selects.resolve(p);
        if (message != null) return message;
        if (p == null || !p.startsWith("cfg_get.")) {
            throw new IllegalArgumentException("unsupported select " + spec + " (only cfg_get.group.var and @via[N] are implemented)");
        }
        String rest = p.substring("cfg_get.".length());
        int dot = rest.indexOf('.');
        if (dot <= 0) throw new IllegalArgumentException("bad select " + spec + ": cfg_get.group.var expected");
        Var v = var(rest.substring(0, dot), rest.substring(dot + 1));
        if (v == null) throw new IllegalArgumentException("unknown configuration variable " + rest + " in " + spec);
        return ctx -> v.value();
    }
}
