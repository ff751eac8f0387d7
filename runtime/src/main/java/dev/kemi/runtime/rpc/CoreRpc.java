package dev.kemi.runtime.rpc;

import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.core.Version;
import dev.kemi.runtime.transport.Alias;
import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.transport.Protocol;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * core.* commands, shaped as Kamailio answers them. Memory figures are the JVM heap's (there is no
 * shared memory pool); processes are the proxy's threads (see {@link ThreadList}).
 */
public final class CoreRpc {
    /** C's ctime() without its newline: "Sat Nov 28 16:51:46 2026". */
    private static final DateTimeFormatter CTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US);
    private final Instant upSince;

    public CoreRpc(Instant upSince) {
        this.upSince = upSince;
    }

    /** The commands that need nothing from a running proxy. */
    public void register(RpcRegistry registry) {
        registry.register("core.version", p -> version());
        registry.register("core.uptime", p -> uptime(Instant.now()));
        registry.register("core.psx", p -> ThreadList.entries());
        registry.register("core.ps", p -> ps());
        registry.register("core.shmmem", p -> heap());
        registry.register("core.info", p -> info());
    }

    /** The commands about sockets and connections, and the shmem statistics group (the JVM heap). */
    public void register(RpcRegistry registry, ProxyServices services, List<Alias> aliases, IntSupplier tcpConnections) {
        register(registry);
        var stats = services.statistics();
        stats.gauge("shmem", "fragments", () -> 1);
        stats.gauge("shmem", "free_size", () -> heapValue("free"));
        stats.gauge("shmem", "max_used_size", () -> heapValue("max_used"));
        stats.gauge("shmem", "real_used_size", () -> heapValue("real_used"));
        stats.gauge("shmem", "total_size", () -> heapValue("total"));
        stats.gauge("shmem", "used_size", () -> heapValue("used"));
        registry.register("core.sockets_list", p -> sockets(services.sockets()));
        registry.register("core.aliases_list", p -> aliases(aliases));
        registry.register("core.tcp_info", p -> tcpInfo(services, tcpConnections.getAsInt()));
    }

    /** As Kamailio's "kamailio 5.6.3 (x86_64/linux)". */
    static String version() {
        return Version.NAME + " " + Version.VERSION + " (" + arch() + "/" + System.getProperty("os.name").toLowerCase(Locale.ROOT)
                + ") kamailio " + Version.KAMAILIO + " compatible";
    }

    private static String arch() {
        String arch = System.getProperty("os.arch");
        return arch.equals("amd64") ? "x86_64" : arch;
    }

    Map<String, Object> uptime(Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("now", ctime(now));
        m.put("up_since", ctime(upSince));
        m.put("uptime", now.getEpochSecond() - upSince.getEpochSecond());
        return m;
    }

    /** PID, description, PID, description ... as Kamailio's flat list. */
    private static List<Object> ps() {
        List<Object> out = new ArrayList<>();
        for (Map<String, Object> e : ThreadList.entries()) {
            out.add(e.get("PID"));
            out.add(e.get("DSC"));
        }
        return out;
    }

    private static Map<String, Object> heap() {
        Runtime rt = Runtime.getRuntime();
        long total = rt.maxMemory(), used = rt.totalMemory() - rt.freeMemory(), peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) peak += pool.getPeakUsage().getUsed();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("total", total);
        m.put("free", total - used);
        m.put("used", used);
        m.put("real_used", rt.totalMemory());
        m.put("max_used", Math.max(peak, used));
        m.put("fragments", 1);
        return m;
    }

    private static long heapValue(String name) {
        return ((Number) heap().get(name)).longValue();
    }

    private static Map<String, Object> info() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", Version.NAME + " " + Version.VERSION);
        m.put("id", "kamailio " + Version.KAMAILIO + " compatible");
        m.put("compiler", "java " + Runtime.version());
        m.put("compiled", "");
        m.put("flags", "USE_TCP, JVM");
        return m;
    }

    /** One "socket" member per listen=, udp first then tcp, as Kamailio walks its protocol lists. */
    private static RpcArray sockets(List<ListenSocket> sockets) {
        List<Object> out = new ArrayList<>();
        for (Protocol proto : Protocol.values()) {
            for (ListenSocket s : sockets) {
                if (s.proto() != proto) continue;
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("proto", proto.lower());
                m.put("address", s.address().getAddress().getHostAddress());
                m.put("port", Integer.toString(s.address().getPort()));
                m.put("mcast", "no");
                m.put("mhomed", "no");
                m.put("virtual", "no");
                out.add(new RpcMember("socket", m));
            }
        }
        return new RpcArray(out);
    }

    private static Map<String, Object> aliases(List<Alias> aliases) {
        List<Object> list = new ArrayList<>();
        for (Alias a : aliases) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("proto", a.proto() == null ? "*" : a.proto().lower());
            m.put("address", a.host());
            m.put("port", a.port() == 0 ? "*" : a.port());
            list.add(new RpcMember("alias", m));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("myself_callbacks", "no");
        m.put("aliases", list);
        return m;
    }

    private static Map<String, Object> tcpInfo(ProxyServices services, int open) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("readers", intGlobal(services, "tcp_children", Runtime.getRuntime().availableProcessors()));
        m.put("max_connections", intGlobal(services, "tcp_max_connections", 2048));
        m.put("max_tls_connections", intGlobal(services, "tls_max_connections", 2048));
        m.put("opened_connections", open);
        m.put("opened_tls_connections", 0);
        m.put("write_queued_bytes", 0);
        return m;
    }

    private static int intGlobal(ProxyServices services, String name, int dflt) {
        String v = services.globalParam(name);
        try {
            return v == null ? dflt : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private static String ctime(Instant t) {
        return CTIME.format(t.atZone(ZoneId.systemDefault()));
    }
}
