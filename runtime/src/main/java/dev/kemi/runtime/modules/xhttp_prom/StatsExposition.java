package dev.kemi.runtime.modules.xhttp_prom;

import dev.kemi.runtime.stats.Statistics;
import java.util.Map;

/**
 * The proxy's statistics as xhttp_prom prints them (modparam xhttp_prom_stats): "all", one
 * group ("sl:"), one statistic by name ("200_replies", its group found), or "" for none. A line
 * is PREFIX + group + "_" + name, '-' made '_', then the value and a millisecond timestamp; no
 * TYPE lines, as xhttp_prom 5.6.3 writes none.
 */
final class StatsExposition {
    private final String selection;

    StatsExposition(String selection) {
        if (selection.equals(":")) throw new IllegalArgumentException("xhttp_prom_stats: void group ':'");
        this.selection = selection;
    }

    /** Appends the block; false when the one statistic named is not there (xhttp_prom answers 500). */
    boolean print(StringBuilder out, Statistics stats, String prefix, long timestamp) {
        if (selection.isEmpty()) return true;
        Map<String, Map<String, Long>> all = stats.snapshot();
        if (selection.equals("all")) {
            out.append("\n# Kamailio whole internal statistics\n");
            all.forEach((g, values) -> values.forEach((n, v) -> line(out, prefix, g, n, v, timestamp)));
            return true;
        }
        if (selection.endsWith(":")) {
            out.append("\n# Kamailio statistics for group: ").append(selection).append('\n');
            String g = selection.substring(0, selection.length() - 1);
            all.getOrDefault(g, Map.of()).forEach((n, v) -> line(out, prefix, g, n, v, timestamp));
            return true;
        }
        for (Map.Entry<String, Map<String, Long>> g : all.entrySet()) {
            Long v = g.getValue().get(selection);
            if (v != null) {
                out.append("\n# Kamailio statistics for: ").append(selection).append('\n');
                line(out, prefix, g.getKey(), selection, v, timestamp);
                return true;
            }
        }
        return false;
    }

    private static void line(StringBuilder out, String prefix, String group, String name, long value, long timestamp) {
        out.append((prefix + group + "_" + name).replace('-', '_')).append(' ').append(value).append(' ').append(timestamp).append('\n');
    }
}
