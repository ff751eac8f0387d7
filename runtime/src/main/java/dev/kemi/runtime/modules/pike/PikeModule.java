package dev.kemi.runtime.modules.pike;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.api.Param;
import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.core.RuntimeModule;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.rpc.RpcProvider;
import dev.kemi.runtime.rpc.RpcRegistry;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * pike: flood detection per source address over Kamailio's tree of address bytes ({@link IpTree}).
 * An address turns red (blocked) when its requests in the current or the previous sampling unit,
 * or their mean, reach reqs_density_per_unit, and stays red until a unit ends below that. Nodes
 * not hit for remove_latency seconds are forgotten.
 */
@Module(value = "pike", loadName = "pike")
public final class PikeModule implements RuntimeModule, RpcProvider {
    private static final int ROUTES = RouteType.REQUEST | RouteType.ONREPLY;
    private static final List<String> STATUS = List.of("", "WARM", "HOT");

    private final LongSupplier clock;
    private int timeUnit = 2;
    private int maxReqs = 30;
    private int timeout = 120;
    private volatile IpTree tree;
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();

    public PikeModule() {
        this(System::currentTimeMillis);
    }

    PikeModule(LongSupplier clock) {
        this.clock = clock;
    }

    @Param("sampling_time_unit")
    public void samplingTimeUnit(int seconds) {
        if (seconds <= 0) throw new IllegalArgumentException("sampling_time_unit must be > 0");
        timeUnit = seconds;
    }

    @Param("reqs_density_per_unit")
    public void reqsDensityPerUnit(int n) {
        if (n <= 0) throw new IllegalArgumentException("reqs_density_per_unit must be > 0");
        maxReqs = n;
        tree = null;
    }

    @Param("remove_latency")
    public void removeLatency(int seconds) {
        if (seconds <= 0) throw new IllegalArgumentException("remove_latency must be > 0");
        timeout = seconds;
    }

    private IpTree tree() {
        IpTree t = tree;
        if (t == null) tree = t = new IpTree(maxReqs);
        return t;
    }

    @Override
    public void init(ProxyServices services) {
        // Kamailio: remove_latency below the sampling unit is raised to it
        if (timeout < timeUnit) timeout = timeUnit;
        tree();
        timers.add(services.timers().scheduleAtFixedRate(this::swap, timeUnit, timeUnit, TimeUnit.SECONDS));
        timers.add(services.timers().scheduleWithFixedDelay(this::clean, 1, 1, TimeUnit.SECONDS));
    }

    @Override
    public void shutdown() {
        timers.forEach(t -> t.cancel(false));
    }

    /** End of a sampling unit: the current counts become the previous; a cooled red address is released. */
    void swap() {
        tree().swap();
    }

    /** Forgets nodes not hit for remove_latency. */
    void clean() {
        tree().clean(clock.getAsLong() - timeout * 1000L);
    }

    /** 1 not flooding, -1 flooding (already red), -2 has just become red. */
    int check(InetAddress ip) {
        int r = tree().mark(ip.getAddress(), clock.getAsLong());
        if (r == IpTree.NEW_RED) ScriptLog.log(ScriptLog.WARN, "PIKE - BLOCKing ip " + ip.getHostAddress());
        return r;
    }

    @Export(natives = "pike_check_req", routes = ROUTES, returns = {1, -1, -2})
    public int pike_check_req(MessageContext ctx) {
        try {
            return check(InetAddress.getByName(ctx.received().sourceIp()));
        } catch (java.net.UnknownHostException e) {
            return -1;
        }
    }

    @Export(natives = "pike_check_ip", routes = ROUTES, returns = {1, -1, -2})
    public int pike_check_ip(MessageContext ctx, String ip) {
        if (ip == null || ip.isEmpty()) return -1;
        if (!(ip.contains(":") || ip.matches("\\d{1,3}(\\.\\d{1,3}){3}"))) {
            ScriptLog.log(ScriptLog.ERR, "pike: failed to parse ip address: " + ip);
            return -1;
        }
        try {
            return check(InetAddress.getByName(ip));
        } catch (java.net.UnknownHostException e) {
            ScriptLog.log(ScriptLog.ERR, "pike: failed to parse ip address: " + ip);
            return -1;
        }
    }

    @Override
    public void registerRpc(RpcRegistry r) {
        r.register("pike.top", p -> top(p.isEmpty() || p.get(0) == null ? "HOT" : p.get(0).toString()));
    }

    /** Kamailio's shape: {max_hits, list: [{ip_addr, leaf_hits_prev, leaf_hits_curr, expires, status}], number_of_rows}. */
    private Object top(String filter) {
        boolean all = filter.toUpperCase(java.util.Locale.ROOT).contains("ALL");
        boolean warm = !all && !filter.toUpperCase(java.util.Locale.ROOT).contains("HOT") && filter.toUpperCase(java.util.Locale.ROOT).contains("WARM");
        if (!all && !warm && !filter.toUpperCase(java.util.Locale.ROOT).contains("HOT")) {
            throw new dev.kemi.runtime.rpc.RpcException(500, "Bad argument. Select: ALL, HOT or WARM");
        }
        IpTree t = tree();
        long now = clock.getAsLong();
        List<Object> list = new ArrayList<>();
        t.leaves((ip, n) -> {
            int status = t.hotLeaf(n) ? 2 : t.warmLeaf(n) ? 1 : 0;
            // Kamailio lists only HOT for "HOT" and everything for "ALL" (WARM selects nothing there)
            if (!all && (warm || status != 2)) return;
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("ip_addr", ip);
            e.put("leaf_hits_prev", n.leafHits[0]);
            e.put("leaf_hits_curr", n.leafHits[1]);
            e.put("expires", (int) Math.max(0, (n.lastHit + timeout * 1000L - now) / 1000));
            e.put("status", STATUS.get(status));
            list.add(e);
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("max_hits", maxReqs);
        out.put("list", list);
        out.put("number_of_rows", list.size());
        return out;
    }
}
