package dev.kemi.runtime.modules.counters;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.api.Param;
import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.core.RuntimeModule;
import dev.kemi.runtime.stats.Statistics;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.rpc.RpcException;
import dev.kemi.runtime.rpc.RpcProvider;
import dev.kemi.runtime.rpc.RpcRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * counters: script counters (modparam script_counter) and the cnt.* RPCs over every statistic of
 * the proxy (Kamailio's statistics are counters: cnt.get tm UAS_transactions works).
 */
@Module(value = "counters", loadName = "counters")
public final class CountersModule implements RuntimeModule, RpcProvider {
    private static final int ROUTES = RouteType.REQUEST | RouteType.ONREPLY | RouteType.FAILURE | RouteType.ONSEND;

    private record Declared(String group, String name, String description) {}

    private String scriptGroup = "script";
    private final List<Declared> declared = new ArrayList<>();
    private final Map<String, String> descriptions = new LinkedHashMap<>();
    private Statistics stats;

    @Param("script_cnt_grp_name")
    public void scriptGroup(String g) {
        if (g.isEmpty()) throw new IllegalArgumentException("script_cnt_grp_name must not be empty");
        scriptGroup = g;
    }

    /** "[grp.]name[( |:)description]", as Kamailio parses it. */
    @Param("script_counter")
    public void scriptCounter(String spec) {
        String name = spec;
        String desc = "custom script counter.";
        int sep = indexOfAny(name, ':', ' ');
        if (sep >= 0) {
            String d = name.substring(sep + 1).strip();
            if (!d.isEmpty()) desc = d;
            name = name.substring(0, sep);
        }
        String group = null;
        int dot = name.indexOf('.');
        if (dot >= 0) {
            group = name.substring(0, dot);
            name = name.substring(dot + 1);
        }
        if (name.isEmpty()) throw new IllegalArgumentException("script_counter: empty counter name");
        declared.add(new Declared(group, name, desc));
    }

    private static int indexOfAny(String s, char a, char b) {
        int i = s.indexOf(a), j = s.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }

    @Override
    public void init(ProxyServices services) {
        stats = services.statistics();
        for (Declared d : declared) {
            String g = d.group != null ? d.group : scriptGroup;
            String key = g + "." + d.name;
            if (descriptions.putIfAbsent(key, d.description) != null) {
                ScriptLog.log(ScriptLog.ERR, "counters: counter " + key + " already registered");
                continue;
            }
            stats.counter(g, d.name);
        }
    }

    // ---- script functions
    @Export(value = "inc", natives = "cnt_inc", routes = ROUTES, returns = {1, -1})
    public int inc(MessageContext ctx, String counter) {
        return add(ctx, counter, 1);
    }

    @Export(value = "add", natives = "cnt_add", routes = ROUTES, returns = {1, -1})
    public int add(MessageContext ctx, String counter, int value) {
        String[] gn = split(counter);
        if (stats.value(gn[0], gn[1]) == null) {
            ScriptLog.log(ScriptLog.ERR, "counters: counter " + gn[0] + "." + gn[1] + " does not exist (forgot to define it?)");
            return -1;
        }
        try {
            stats.counter(gn[0], gn[1]).add(value);
            return 1;
        } catch (IllegalArgumentException e) { // a gauge
            return -1;
        }
    }

    @Export(value = "reset", natives = "cnt_reset", routes = ROUTES, returns = {1, -1})
    public int reset(MessageContext ctx, String counter) {
        String[] gn = split(counter);
        if (!stats.reset(gn[0], gn[1])) {
            ScriptLog.log(ScriptLog.ERR, "counters: counter " + gn[0] + "." + gn[1] + " does not exist (forgot to define it?)");
            return -1;
        }
        return 1;
    }

    /** "grp.name" or "name" (the script group). */
    private String[] split(String counter) {
        int dot = counter.indexOf('.');
        return dot < 0 ? new String[] {scriptGroup, counter} : new String[] {counter.substring(0, dot), counter.substring(dot + 1)};
    }

    // ---- RPC
    @Override
    public void registerRpc(RpcRegistry r) {
        r.register("cnt.get", this::get);
        r.register("cnt.get_raw", p -> value(str(p, 0), str(p, 1)));
        r.register("cnt.reset", this::rpcReset);
        r.register("cnt.list_groups", p -> groups());
        r.register("cnt.grps_list", p -> groups());
        r.register("cnt.list_vars", this::vars);
        r.register("cnt.var_list", this::vars);
        r.register("cnt.get_vars", p -> groupValues(str(p, 0)));
        r.register("cnt.grp_get_all", p -> groupValues(str(p, 0)));
        r.register("cnt.help", this::help);
    }

    private static String str(List<Object> p, int i) {
        if (p.size() <= i || p.get(i) == null) throw new RpcException(500, "Invalid parameters");
        return p.get(i).toString();
    }

    private Object get(List<Object> p) {
        String group = str(p, 0);
        return p.size() < 2 ? groupValues(group) : value(group, str(p, 1));
    }

    private Object value(String group, String name) {
        Long v = stats.value(group, name);
        if (v == null) throw new RpcException(400, "non-existent counter " + group + "." + name + "\n");
        return (int) (long) v;
    }

    private Object rpcReset(List<Object> p) {
        String group = str(p, 0), name = str(p, 1);
        if (stats.value(group, name) == null) throw new RpcException(400, "non-existent counter " + group + "." + name + "\n");
        stats.reset(group, name);
        return null;
    }

    private List<String> groups() {
        return new ArrayList<>(stats.snapshot().keySet());
    }

    private Object vars(List<Object> p) {
        Map<String, Long> g = stats.snapshot().get(str(p, 0));
        return g == null ? List.of() : new ArrayList<>(g.keySet());
    }

    private Map<String, Integer> groupValues(String group) {
        Map<String, Integer> out = new LinkedHashMap<>();
        Map<String, Long> g = stats.snapshot().get(group);
        if (g != null) g.forEach((n, v) -> out.put(n, (int) (long) v));
        return out;
    }

    private Object help(List<Object> p) {
        String group = str(p, 0), name = str(p, 1);
        if (stats.value(group, name) == null) throw new RpcException(400, "non-existent counter " + group + "." + name + "\n");
        String d = descriptions.get(group + "." + name);
        if (d == null) throw new RpcException(400, "no description for counter " + group + "." + name + "\n");
        return d;
    }
}
