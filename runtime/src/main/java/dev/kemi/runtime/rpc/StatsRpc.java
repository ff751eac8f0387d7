package dev.kemi.runtime.rpc;

import dev.kemi.runtime.stats.Statistics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * stats.* (Kamailio's kex module): each parameter is "all", "group:" or a statistic name
 * (searched in every group); get_statistics answers "group:name = value" lines.
 */
final class StatsRpc {
    private StatsRpc() {}

    static void register(RpcRegistry r, Statistics stats) {
        r.register("stats.get_statistics", p -> lines(stats, p));
        r.register("stats.fetch", p -> fetch(stats, p));
        r.register("stats.reset_statistics", p -> {
            reset(stats, p);
            return null;
        });
        r.register("stats.clear_statistics", p -> {
            List<Object> out = lines(stats, p);
            reset(stats, p);
            return out;
        });
    }

    private static List<Object> lines(Statistics stats, List<Object> params) {
        List<Object> out = new ArrayList<>();
        for (String[] s : select(stats, params)) out.add(s[0] + ":" + s[1] + " = " + stats.value(s[0], s[1]));
        return out;
    }

    private static Map<String, Object> fetch(Statistics stats, List<Object> params) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String[] s : select(stats, params)) out.put(s[0] + "." + s[1], String.valueOf(stats.value(s[0], s[1])));
        return out;
    }

    private static void reset(Statistics stats, List<Object> params) {
        for (String[] s : select(stats, params)) stats.reset(s[0], s[1]);
    }

    /** {group, name} pairs the parameters name, in their order. */
    private static List<String[]> select(Statistics stats, List<Object> params) {
        if (params.isEmpty()) throw new RpcException(400, "Too few parameters");
        Map<String, Map<String, Long>> all = stats.snapshot();
        List<String[]> out = new ArrayList<>();
        for (Object o : params) {
            String p = String.valueOf(o);
            if (p.equals("all")) {
                all.forEach((g, names) -> names.keySet().forEach(n -> out.add(new String[] {g, n})));
            } else if (p.endsWith(":")) {
                String g = p.substring(0, p.length() - 1);
                all.getOrDefault(g, Map.of()).keySet().forEach(n -> out.add(new String[] {g, n}));
            } else {
                int colon = p.indexOf(':');
                all.forEach((g, names) -> {
                    String n = colon < 0 ? p : p.substring(colon + 1);
                    if ((colon < 0 || p.substring(0, colon).equals(g)) && names.containsKey(n)) out.add(new String[] {g, n});
                });
            }
        }
        return out;
    }
}
