package dev.kemi.runtime.modules.kex;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.api.Pv;
import dev.kemi.api.PvExports;
import dev.kemi.api.PvSpec;
import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.Statistics;
import dev.kemi.runtime.modules.LocalLogLevel;
import java.util.Map;
import java.util.Set;

/**
 * kex: setdebug/resetdebug and $stat. Its flag and dst-URI functions (setsflag, setbflag,
 * setdsturi, is_myself ...) are the core module's here, so they work with or without kex.
 */
@Module(value = "kex", loadName = "kex")
public final class KexModule implements PvExports {

    /** This worker's debug level until resetdebug(), as Kamailio's per-process level. */
    @Export(routes = RouteType.ANY)
    public int setdebug(MessageContext ctx, int level) {
        LocalLogLevel.set(level);
        return 1;
    }

    @Export(routes = RouteType.ANY)
    public int resetdebug(MessageContext ctx) {
        LocalLogLevel.reset();
        return 1;
    }

    @Override
    public Set<String> pvNames() {
        return Set.of("stat");
    }

    /** $stat(name) or $stat(group:name): the statistic's value, $null if there is none. */
    @Override
    public Pv resolvePv(PvSpec spec) {
        String name = spec.param();
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("$stat needs a statistic name");
        return ctx -> {
            Long v = lookup(((MessageContext) ctx).services().statistics(), name);
            return v == null ? null : (Object) (int) (long) v;
        };
    }

    /** Kamailio names are unique across groups, so a bare name finds its group. */
    static Long lookup(Statistics stats, String name) {
        int colon = name.indexOf(':');
        if (colon > 0) return stats.value(name.substring(0, colon), name.substring(colon + 1));
        for (Map.Entry<String, Map<String, Long>> g : stats.snapshot().entrySet()) {
            Long v = g.getValue().get(name);
            if (v != null) return v;
        }
        return null;
    }
}
