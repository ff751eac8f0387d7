package dev.kemi.runtime.modules.usrloc;

import dev.kemi.api.Module;
import dev.kemi.api.Param;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.core.RateLimitedLog;
import dev.kemi.runtime.core.RuntimeModule;
import dev.kemi.runtime.db.DbException;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.rpc.RpcProvider;
import dev.kemi.runtime.rpc.RpcRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * User location (Kamailio's usrloc): the location tables in memory, kept in a database as
 * db_mode says, expired by a timer. The registrar reaches it through {@link UsrlocApi}.
 */
@Module(value = "usrloc", loadName = "usrloc")
public final class UsrlocModule implements UsrlocApi, RuntimeModule, RpcProvider {
    private final Map<String, UDomain> domains = new ConcurrentHashMap<>();
    private final RateLimitedLog timerFailures = ScriptLog.throttled();
    private final List<String> domainOrder = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<String> preload = new ArrayList<>();
    private final LocationColumns columns = new LocationColumns();
    private final AtomicLong ruidCounter = new AtomicLong();
    private final String ruidRoot = "uloc-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-"
            + Long.toHexString(ProcessHandle.current().pid()) + "-";
    private String dbUrl;
    private DbMode dbMode = DbMode.NO_DB;
    private int timerInterval = 60;
    private boolean useDomain;
    private boolean descTimeOrder;
    private int matchingMode;
    private int cseqDelay = 20;
    private int hashSize = 10;
    private int natFlag;
    private int serverId;
    private boolean versionTable = true;
    private LocationStore store;
    private ProxyServices services;
    private ScheduledFuture<?> timer;

    @Param("db_url")
    public void dbUrl(String v) { dbUrl = v; }

    @Param("db_mode")
    public void dbMode(int v) { dbMode = DbMode.of(v); }

    @Param("timer_interval")
    public void timerInterval(int v) {
        if (v <= 0) throw new IllegalArgumentException("timer_interval must be positive");
        timerInterval = v;
    }

    /** The timer runs on its own thread in any case (Kamailio: a dedicated timer process). */
    @Param("timer_procs")
    public void timerProcs(int v) {
        if (v < 0) throw new IllegalArgumentException("timer_procs must be 0 or more");
    }

    @Param("use_domain")
    public void useDomain(int v) { useDomain = v != 0; }

    @Param("desc_time_order")
    public void descTimeOrder(int v) { descTimeOrder = v != 0; }

    @Param("matching_mode")
    public void matchingMode(int v) {
        if (v < 0 || v > 3) throw new IllegalArgumentException("matching_mode must be 0..3");
        matchingMode = v;
    }

    @Param("cseq_delay")
    public void cseqDelay(int v) { cseqDelay = v; }

    @Param("hash_size")
    public void hashSize(int v) {
        if (v < 1 || v > 20) throw new IllegalArgumentException("hash_size must be 1..20 (2^hash_size slots)");
        hashSize = v;
    }

    @Param("nat_bflag")
    public void natBflag(int v) {
        if (v < -1 || v > 31) throw new IllegalArgumentException("nat_bflag must be a branch flag 0..31");
        natFlag = v < 0 ? 0 : 1 << v;
    }

    @Param("preload")
    public void preload(String table) {
        if (table.isEmpty()) throw new IllegalArgumentException("preload needs a table name");
        preload.add(table);
    }

    /** 0: the location table's version is not checked. */
    @Param("version_table")
    public void versionTable(int v) { versionTable = v != 0; }

    @Param("ruid_column") public void ruidColumn(String v) { columns.ruid = v; }
    @Param("user_column") public void userColumn(String v) { columns.username = v; }
    @Param("domain_column") public void domainColumn(String v) { columns.domain = v; }
    @Param("contact_column") public void contactColumn(String v) { columns.contact = v; }
    @Param("expires_column") public void expiresColumn(String v) { columns.expires = v; }
    @Param("q_column") public void qColumn(String v) { columns.q = v; }
    @Param("callid_column") public void callidColumn(String v) { columns.callid = v; }
    @Param("cseq_column") public void cseqColumn(String v) { columns.cseq = v; }
    @Param("flags_column") public void flagsColumn(String v) { columns.flags = v; }
    @Param("cflags_column") public void cflagsColumn(String v) { columns.cflags = v; }
    @Param("user_agent_column") public void userAgentColumn(String v) { columns.userAgent = v; }
    @Param("received_column") public void receivedColumn(String v) { columns.received = v; }
    @Param("path_column") public void pathColumn(String v) { columns.path = v; }
    @Param("socket_column") public void socketColumn(String v) { columns.socket = v; }
    @Param("methods_column") public void methodsColumn(String v) { columns.methods = v; }
    @Param("instance_column") public void instanceColumn(String v) { columns.instance = v; }
    @Param("reg_id_column") public void regIdColumn(String v) { columns.regId = v; }
    @Param("server_id_column") public void serverIdColumn(String v) { columns.serverId = v; }
    @Param("connection_id_column") public void connectionIdColumn(String v) { columns.connectionId = v; }
    @Param("keepalive_column") public void keepaliveColumn(String v) { columns.keepalive = v; }
    @Param("partition_column") public void partitionColumn(String v) { columns.partition = v; }

    @Override
    public void init(ProxyServices services) {
        this.services = services;
        String sid = services.globalParam("server_id");
        if (sid != null) serverId = Integer.parseInt(sid.trim());
        if (dbMode != DbMode.NO_DB) {
            if (dbUrl == null || dbUrl.isEmpty()) throw new IllegalStateException("usrloc: db_mode " + dbMode.ordinal() + " needs db_url");
            store = LocationStores.open(services, dbUrl, columns, useDomain);
        }
        Statistics.register(services.statistics(), this);
        for (String t : preload) {
            try {
                registerDomain(t);
            } catch (UsrlocException e) {
                throw new IllegalStateException("usrloc: cannot preload table " + t + ": " + e.getMessage(), e);
            }
        }
        timer = services.timers().scheduleWithFixedDelay(this::timerRun, timerInterval, timerInterval, TimeUnit.SECONDS);
    }

    @Override
    public void shutdown() {
        if (timer != null) timer.cancel(false);
        // write-back: what the timer has not written yet goes to the database now, as on Kamailio's exit
        if (dbMode == DbMode.WRITE_BACK || dbMode == DbMode.WRITE_THROUGH) flushAll();
    }

    private void timerRun() {
        try {
            long now = now();
            for (UDomain d : domains.values()) d.timer(now);
        } catch (DbException e) {
            // database down or refusing: the next run tries again
            timerFailures.error("timer db", "usrloc: timer failed: " + e.getMessage(), null);
        } catch (RuntimeException e) {
            // the schedule stops for good if its task throws; log and keep expiring
            timerFailures.error("timer", "usrloc: timer failed: " + e, e);
        }
    }

    void flushAll() {
        for (UDomain d : domains.values()) d.flush();
    }

    @Override
    public UDomain registerDomain(String table) throws UsrlocException {
        UDomain d = domains.get(table);
        if (d != null) return d;
        synchronized (domains) {
            d = domains.get(table);
            if (d != null) return d;
            d = new UDomain(table, this, 1 << hashSize);
            if (versionTable && store instanceof DbLocationStore db) {
                try {
                    db.checkVersion(table);
                } catch (dev.kemi.runtime.db.DbException e) {
                    throw new UsrlocException(e.getMessage(), e);
                }
            }
            if ((dbMode == DbMode.WRITE_THROUGH || dbMode == DbMode.WRITE_BACK)) d.preload(store.loadAll(table));
            domains.put(table, d);
            domainOrder.add(table);
            Statistics.registerDomain(services == null ? null : services.statistics(), d);
            return d;
        }
    }

    @Override
    public UDomain findDomain(String table) {
        return domains.get(table);
    }

    /** The tables in registration order (ul.dump lists the newest first, as Kamailio's list). */
    List<UDomain> domainsInDumpOrder() {
        List<UDomain> out = new ArrayList<>();
        for (String n : domainOrder) out.add(0, domains.get(n));
        return out;
    }

    @Override public java.util.Collection<UDomain> domains() { return List.copyOf(domains.values()); }
    @Override public boolean useDomain() { return useDomain; }
    @Override public int natFlag() { return natFlag; }
    @Override public DbMode dbMode() { return dbMode; }
    @Override public long now() { return System.currentTimeMillis() / 1000; }
    @Override public String newRuid() { return ruidRoot + ruidCounter.incrementAndGet(); }
    @Override public int serverId() { return serverId; }

    LocationStore store() { return store; }
    boolean descTimeOrder() { return descTimeOrder; }
    int matchingMode() { return matchingMode; }
    int cseqDelay() { return cseqDelay; }

    long registeredUsers() {
        long n = 0;
        for (UDomain d : domains.values()) n += d.users();
        return n;
    }

    void log(String text) {
        ScriptLog.log(ScriptLog.ERR, text);
    }

    @Override
    public void registerRpc(RpcRegistry registry) {
        new UsrlocRpc(this).register(registry);
    }

    /** usrloc's statistics under Kamailio's names. */
    private static final class Statistics {
        static void register(dev.kemi.runtime.stats.Statistics stats, UsrlocModule ul) {
            stats.gauge("usrloc", "registered_users", ul::registeredUsers);
        }

        static void registerDomain(dev.kemi.runtime.stats.Statistics stats, UDomain d) {
            if (stats == null) return;
            stats.gauge("usrloc", d.name() + "-users", d::users);
            stats.gauge("usrloc", d.name() + "-contacts", d::contactCount);
            stats.gauge("usrloc", d.name() + "-expires", d.expired::sum);
        }
    }
}
