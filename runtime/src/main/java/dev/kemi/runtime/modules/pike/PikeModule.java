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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * pike: flood detection per source address. Each address counts its requests in the current and
 * the previous sampling unit; it turns red (blocked) when either unit, or their mean, reaches
 * reqs_density_per_unit, and stays red until a unit ends below that. An address idle for
 * remove_latency seconds is forgotten.
 */
@Module(value = "pike", loadName = "pike")
public final class PikeModule implements RuntimeModule, RpcProvider {
    private static final int ROUTES = RouteType.REQUEST | RouteType.ONREPLY;

    /** Hits of one address; guarded by its own monitor. */
    private static final class Node {
        int prev, curr;
        boolean red;
        long lastHit;

        boolean hot(int max) {
            return prev >= max || curr >= max || ((prev + curr) >> 1) >= max;
        }
    }

    private final Map<String, Node> nodes = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    private int timeUnit = 2;
    private int maxReqs = 30;
    private int timeout = 120;
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
    }

    @Param("remove_latency")
    public void removeLatency(int seconds) {
        if (seconds <= 0) throw new IllegalArgumentException("remove_latency must be > 0");
        timeout = seconds;
    }

    @Override
    public void init(ProxyServices services) {
        // Kamailio: remove_latency below the sampling unit is raised to it
        if (timeout < timeUnit) timeout = timeUnit;
        timers.add(services.timers().scheduleAtFixedRate(this::swap, timeUnit, timeUnit, TimeUnit.SECONDS));
        timers.add(services.timers().scheduleWithFixedDelay(this::clean, 1, 1, TimeUnit.SECONDS));
    }

    @Override
    public void shutdown() {
        timers.forEach(t -> t.cancel(false));
    }

    /** End of a sampling unit: the current count becomes the previous; a cooled red address is released. */
    void swap() {
        for (Node n : nodes.values()) {
            synchronized (n) {
                n.prev = n.curr;
                n.curr = 0;
                if (n.red && !n.hot(maxReqs)) n.red = false;
            }
        }
    }

    /** Forgets addresses not seen for remove_latency. */
    void clean() {
        long limit = clock.getAsLong() - timeout * 1000L;
        nodes.values().removeIf(n -> {
            synchronized (n) {
                return n.lastHit < limit && !n.red;
            }
        });
    }

    /** 1 not flooding, -1 flooding (already red), -2 has just become red. */
    int check(InetAddress ip) {
        Node n = nodes.computeIfAbsent(ip.getHostAddress(), k -> new Node());
        synchronized (n) {
            n.lastHit = clock.getAsLong();
            if (n.curr < Integer.MAX_VALUE) n.curr++;
            if (n.red) return -1;
            if (n.hot(maxReqs)) {
                n.red = true;
                ScriptLog.log(ScriptLog.WARN, "PIKE - BLOCKing ip " + ip.getHostAddress());
                return -2;
            }
            return 1;
        }
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

    /** Addresses of the tree with their counts; "HOT" (default) only the red ones, "ALL" every one. */
    private Object top(String filter) {
        boolean all = filter.equalsIgnoreCase("ALL");
        List<Object> out = new ArrayList<>();
        nodes.forEach((ip, n) -> {
            synchronized (n) {
                if (!all && !n.red) return;
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("ip_addr", ip);
                e.put("leaf_hits_prev", n.prev);
                e.put("leaf_hits_curr", n.curr);
                e.put("expires", (int) Math.max(0, (n.lastHit + timeout * 1000L - clock.getAsLong()) / 1000));
                e.put("status", n.red ? "HOT" : "ALL");
                out.add(e);
            }
        });
        return out;
    }
}
