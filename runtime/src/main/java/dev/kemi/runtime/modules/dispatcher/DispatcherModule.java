package dev.kemi.runtime.modules.dispatcher;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.api.Param;
import dev.kemi.api.Pv;
import dev.kemi.api.PvExports;
import dev.kemi.api.PvSpec;
import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.core.RateLimitedLog;
import dev.kemi.runtime.core.ReplyHandler;
import dev.kemi.runtime.core.RuntimeModule;
import dev.kemi.runtime.db.Database;
import dev.kemi.runtime.db.DbException;
import dev.kemi.runtime.db.Databases;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.modules.pv.PvFormat;
import dev.kemi.runtime.modules.pv.PvModule;
import dev.kemi.runtime.modules.tm.NonInviteTimers;
import dev.kemi.runtime.modules.tm.TmModule;
import dev.kemi.runtime.rpc.RpcProvider;
import dev.kemi.runtime.rpc.RpcRegistry;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * dispatcher: destination sets from a list file or the dispatcher table, selection by hash,
 * round robin, priority and weights, failover through $xavp(_dsdst_) records, keepalives
 * that take unanswering destinations out and bring them back, and Kamailio's RPC commands.
 */
@Module(value = "dispatcher", loadName = "dispatcher")
public final class DispatcherModule implements RuntimeModule, ReplyHandler, RpcProvider, PvExports {
    final DsConfig cfg = new DsConfig();
    private final Random rnd = new Random();
    private volatile DsList list = new DsList();
    private ProxyServices services;
    private Database db;
    private int tableVersion;
    private DsPinger pinger;
    private ScheduledFuture<?> pingTimer;
    private volatile int pingActive = 1;
    private volatile long lastReload;
    private final DsSelector selector = new DsSelector(this);
    private final DsStates states = new DsStates(this);
    private final RateLimitedLog failures = ScriptLog.throttled();
    private Pv setidPv, attrsPv;
    private PvFormat hashPvar;
    private DsCallLoad callLoad;
    private ScheduledFuture<?> loadTimer;

    // ---- modparams (5.6.3 names and defaults)
    @Param("list_file") public void listFile(String v) { cfg.listFile = v; }
    @Param("db_url") public void dbUrl(String v) { cfg.dbUrl = v; }
    @Param("table_name") public void tableName(String v) { cfg.table = v; }
    @Param("setid_col") public void setidCol(String v) { cfg.cols[0] = v; }
    @Param("destination_col") public void destinationCol(String v) { cfg.cols[1] = v; }
    @Param("flags_col") public void flagsCol(String v) { cfg.cols[2] = v; }
    @Param("priority_col") public void priorityCol(String v) { cfg.cols[3] = v; }
    @Param("attrs_col") public void attrsCol(String v) { cfg.cols[4] = v; }
    @Param("force_dst") public void forceDst(int v) { cfg.forceDst = v != 0; }
    @Param("flags") public void flags(int v) { cfg.flags = v; }
    @Param("use_default") public void useDefault(int v) { cfg.useDefault = v != 0; }
    @Param("xavp_dst") public void xavpDst(String v) { cfg.xavpDst = v; }
    @Param("xavp_dst_mode") public void xavpDstMode(int v) { cfg.xavpDstMode = v; }
    @Param("xavp_ctx") public void xavpCtx(String v) { cfg.xavpCtx = v; }
    @Param("xavp_ctx_mode") public void xavpCtxMode(int v) { cfg.xavpCtxMode = v; }
    @Param("setid_pvname") public void setidPvname(String v) { cfg.setidPvname = v; }
    @Param("attrs_pvname") public void attrsPvname(String v) { cfg.attrsPvname = v; }
    @Param("ds_probing_threshold") public void probingThreshold(int v) { cfg.probingThreshold = v; }
    @Param("ds_inactive_threshold") public void inactiveThreshold(int v) { cfg.inactiveThreshold = v; }
    @Param("ds_ping_method") public void pingMethod(String v) { cfg.pingMethod = v; }
    @Param("ds_ping_from") public void pingFrom(String v) { cfg.pingFrom = v; }
    @Param("ds_ping_interval") public void pingInterval(int v) { cfg.pingInterval = v; }
    @Param("ds_ping_reply_codes") public void pingReplyCodes(String v) { cfg.replyCodes = DsConfig.parseReplyCodes(v); }
    @Param("ds_probing_mode") public void probingMode(int v) {
        if (v < 0 || v > 3) throw new IllegalArgumentException("ds_probing_mode must be 0..3");
        cfg.probingMode = v;
    }
    @Param("ds_load_mode") public void loadMode(int v) { cfg.strictLoad = v == 1; }
    @Param("reload_delta") public void reloadDelta(int v) { cfg.reloadDelta = v; }
    @Param("ds_attrs_none") public void attrsNone(int v) { cfg.attrsNone = v != 0; }
    /** Read by the KEMI engine: the function event_route[dispatcher:dst-down/up] becomes. */
    @Param("event_callback") public void eventCallback(String v) { cfg.eventCallback = v; }
    /** Algorithm 7 hashes this format, printed per message ("$fU", "$ci-$rU"). */
    @Param("hash_pvar") public void hashPvar(String v) { cfg.hashPvar = v; }
    /** Algorithm 10's call-load table is kept when this is above 0 (Kamailio: 2^size slots). */
    @Param("ds_hash_size") public void hashSize(int v) { cfg.hashSize = v; }
    @Param("ds_hash_expire") public void hashExpire(int v) { cfg.hashExpire = v; }
    @Param("ds_hash_initexpire") public void hashInitExpire(int v) { cfg.hashInitExpire = v; }
    @Param("ds_hash_check_interval") public void hashCheckInterval(int v) { cfg.hashCheckInterval = v; }
    @Param("ds_ping_latency_stats") public void latencyStats(int v) {
        if (v != 0) throw new IllegalArgumentException("ds_ping_latency_stats is not supported (algorithm 13 orders by priority only)");
    }

    DsList list() {
        return list;
    }

    Random random() {
        return rnd;
    }

    ProxyServices services() {
        return services;
    }

    DsStates states() {
        return states;
    }

    /** dispatcher.ping_active's value: 0 stops the keepalives. */
    int pingActive() {
        return pingActive;
    }

    void pingActive(int v) {
        pingActive = v;
    }

    Pv setidPv() {
        return setidPv;
    }

    /** Algorithm 10's call-load table, null without ds_hash_size. */
    DsCallLoad callLoad() {
        return callLoad;
    }

    /** The hash_pvar format, null when not set. */
    PvFormat hashPvar() {
        return hashPvar;
    }

    Pv attrsPv() {
        return attrsPv;
    }

    @Override
    public void init(ProxyServices services) {
        this.services = services;
        if (cfg.setidPvname != null) setidPv = writablePv(services, cfg.setidPvname, "setid_pvname");
        if (cfg.attrsPvname != null) attrsPv = writablePv(services, cfg.attrsPvname, "attrs_pvname");
        if (cfg.hashPvar != null && !cfg.hashPvar.isEmpty()) {
            try {
                hashPvar = new PvFormat(cfg.hashPvar, PvModule.providerOf(services));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("malformed PV string: " + cfg.hashPvar + " (" + e.getMessage() + ")", e);
            }
        }
        if (cfg.dbUrl != null) {
            db = Databases.bind(services, "dispatcher", cfg.dbUrl);
            try {
                tableVersion = db.tableVersion(cfg.table);
            } catch (DbException e) {
                throw new IllegalStateException("dispatcher: failed to query table version: " + e.getMessage(), e);
            }
            if (tableVersion < 1 || tableVersion > 4) {
                throw new IllegalStateException("dispatcher: invalid table version (found " + tableVersion
                        + " , required 1, 2, 3 or 4) (use kamdbctl reinit)");
            }
        }
        try {
            list = load();
        } catch (DsLoader.LoadException | DbException e) {
            throw new IllegalStateException("dispatcher: " + e.getMessage()
                    + (cfg.dbUrl == null ? " - no dispatching list loaded from file" : ""), e);
        }
        if (cfg.hashSize > 0) {
            callLoad = new DsCallLoad(cfg.hashExpire, cfg.hashInitExpire);
            loadTimer = services.timers().scheduleWithFixedDelay(selector::expireLoad,
                    cfg.hashCheckInterval, cfg.hashCheckInterval, TimeUnit.SECONDS);
        }
        if (cfg.pingInterval > 0) {
            TmModule tm = services.api(TmModule.class, "dispatcher", "tm");
            NonInviteTimers t = tm.nonInviteTimers();
            pinger = new DsPinger(services, states::pingDone, t.fr(), t.retrT1(), t.retrT2());
            pingTimer = services.timers().scheduleWithFixedDelay(() -> {
                try {
                    states.pingAll(pinger);
                } catch (RuntimeException e) {
                    // the schedule stops for good if its task throws; log and keep pinging
                    failures.error("keepalive", "dispatcher: keepalive round failed: " + e, e);
                }
            }, cfg.pingInterval, cfg.pingInterval, TimeUnit.SECONDS);
        }
    }

    private static Pv writablePv(ProxyServices services, String name, String param) {
        Pv pv = PvModule.providerOf(services).resolve(PvSpec.parse(name.startsWith("$") ? name.substring(1) : name));
        if (!pv.writable()) throw new IllegalArgumentException("[" + name + "]- invalid " + param);
        return pv;
    }

    private DsList load() throws DsLoader.LoadException {
        DsLoader loader = new DsLoader(rnd, cfg.strictLoad, cfg.attrsNone);
        return db != null ? loader.fromDb(db, cfg.table, tableVersion, cfg.cols) : loader.fromFile(cfg.listFile);
    }

    /**
     * Reload, dispatcher.add and dispatcher.remove share one clock: each is refused within
     * reload_delta seconds of the last of them, which takes its turn even if it fails later.
     */
    synchronized boolean reloadTurn() {
        long now = System.currentTimeMillis() / 1000;
        if (lastReload != 0 && lastReload > now - cfg.reloadDelta) return false;
        lastReload = now;
        return true;
    }

    /** ds_reload and dispatcher.reload: refused within reload_delta seconds of the last one. */
    String reload() {
        if (!reloadTurn()) return "ongoing reload";
        try {
            list = load();
            return null;
        } catch (DsLoader.LoadException | DbException e) {
            ScriptLog.log(ScriptLog.ERR, "dispatcher: " + e.getMessage());
            return "failed";
        }
    }

    /**
     * dispatcher.add (ds_add_dst): a new list of every current destination (state flags and call
     * load kept) plus this one, swapped in; false only when ds_load_mode=1 and it is unusable.
     */
    synchronized boolean addDestination(int group, String uri, int flags, int priority, String attrs) {
        DsLoader loader = new DsLoader(rnd, cfg.strictLoad, cfg.attrsNone);
        DsList next = list.copy(loader, null, null);
        DsDest d = loader.pack(uri, flags, priority, attrs);
        if (d != null) next.add(group, d);
        else if (cfg.strictLoad) return false;
        list = next.build(rnd);
        return true;
    }

    /** dispatcher.remove (ds_remove_dst): a new list without that URI in that set; false when the URI does not parse. */
    synchronized boolean removeDestination(int group, String uri) {
        DsLoader loader = new DsLoader(rnd, cfg.strictLoad, cfg.attrsNone);
        DsDest gone = loader.pack(uri, 0, 0, null);
        if (gone == null) return false;
        list = list.copy(loader, group, gone.uri).build(rnd);
        return true;
    }

    @Override
    public void shutdown() {
        if (pingTimer != null) pingTimer.cancel(false);
        if (loadTimer != null) loadTimer.cancel(false);
        if (pinger != null) pinger.stop();
    }

    @Override
    public boolean onReply(MessageContext ctx) {
        return pinger != null && pinger.onReply(ctx);
    }

    @Override
    public void registerRpc(RpcRegistry registry) {
        new DsRpc(this).register(registry);
    }

    @Override
    public Set<String> pvNames() {
        return Set.of("dsv");
    }

    @Override
    public Pv resolvePv(PvSpec spec) {
        return states.dsv(spec.param());
    }

    // ---- script functions; route types from 5.6.3's cmd_export_t
    @Export(routes = RouteType.ANY, returns = {1, 2, -1})
    public int ds_select(MessageContext ctx, int set, int alg) {
        return selector.select(ctx, set, alg, 0xffff, Ds.SETOP_XAVP);
    }

    @Export(natives = "ds_select", routes = RouteType.REQUEST | RouteType.FAILURE, returns = {1, 2, -1})
    public int ds_select_limit(MessageContext ctx, int set, int alg, int limit) {
        return selector.select(ctx, set, alg, limit, Ds.SETOP_XAVP);
    }

    @Export(routes = RouteType.REQUEST | RouteType.FAILURE, returns = {1, 2, -1})
    public int ds_select_dst(MessageContext ctx, int set, int alg) {
        return selector.select(ctx, set, alg, 0xffff, Ds.SETOP_DSTURI);
    }

    @Export(natives = "ds_select_dst", routes = RouteType.REQUEST | RouteType.FAILURE, returns = {1, 2, -1})
    public int ds_select_dst_limit(MessageContext ctx, int set, int alg, int limit) {
        return selector.select(ctx, set, alg, limit, Ds.SETOP_DSTURI);
    }

    @Export(routes = RouteType.REQUEST | RouteType.FAILURE, returns = {1, 2, -1})
    public int ds_select_domain(MessageContext ctx, int set, int alg) {
        return selector.select(ctx, set, alg, 0xffff, Ds.SETOP_RURI);
    }

    @Export(natives = "ds_select_domain", routes = RouteType.REQUEST | RouteType.FAILURE, returns = {1, 2, -1})
    public int ds_select_domain_limit(MessageContext ctx, int set, int alg, int limit) {
        return selector.select(ctx, set, alg, limit, Ds.SETOP_RURI);
    }

    /** "set=alg;set=alg" in turn: the first selection goes to $du / R-URI by mode (0/d, 1/r, 2/x), all into the failover records. */
    @Export(routes = RouteType.REQUEST | RouteType.FAILURE, returns = {1, 2, -1})
    public int ds_select_routes(MessageContext ctx, String rules, String mode) {
        return selector.selectRoutes(ctx, rules, mode, 0);
    }

    @Export(natives = "ds_select_routes", routes = RouteType.REQUEST | RouteType.FAILURE, returns = {1, 2, -1})
    public int ds_select_routes_limit(MessageContext ctx, String rules, String mode, int limit) {
        return selector.selectRoutes(ctx, rules, mode, limit);
    }

    @Export(routes = RouteType.REQUEST | RouteType.FAILURE, returns = {1, -1})
    public int ds_next_dst(MessageContext ctx) {
        return selector.update(ctx, true, Ds.SETOP_DSTURI);
    }

    @Export(routes = RouteType.REQUEST | RouteType.FAILURE, returns = {1, -1})
    public int ds_next_domain(MessageContext ctx) {
        return selector.update(ctx, true, Ds.SETOP_RURI);
    }

    @Export(routes = RouteType.REQUEST | RouteType.FAILURE, returns = {1, -1})
    public int ds_set_dst(MessageContext ctx) {
        return selector.update(ctx, false, Ds.SETOP_DSTURI);
    }

    @Export(routes = RouteType.REQUEST | RouteType.FAILURE, returns = {1, -1})
    public int ds_set_domain(MessageContext ctx) {
        return selector.update(ctx, false, Ds.SETOP_RURI);
    }

    @Export(routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.ONREPLY, returns = {1, -1})
    public int ds_mark_dst(MessageContext ctx) {
        return states.mark(ctx, Ds.INACTIVE | (cfg.probingMode == Ds.PROBE_ALL ? Ds.PROBING : 0));
    }

    @Export(natives = "ds_mark_dst", routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.ONREPLY, returns = {1, -1})
    public int ds_mark_dst_state(MessageContext ctx, String state) {
        if (state == null || state.isEmpty()) return ds_mark_dst(ctx);
        int st = Ds.parseStateLetters(state);
        if (st < 0) {
            ScriptLog.log(ScriptLog.WARN, "dispatcher: Failed to parse state flags: " + state);
            return -1;
        }
        return states.mark(ctx, st);
    }

    @Export(natives = "ds_is_from_list", routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.ONREPLY | RouteType.BRANCH,
            returns = {1, -1, -2, -3})
    public int ds_is_from_lists(MessageContext ctx) {
        return selector.isFromList(ctx, -1, null, Ds.MATCH_NOPROTO);
    }

    @Export(routes = RouteType.ANY, returns = {1, -1, -2, -3})
    public int ds_is_from_list(MessageContext ctx, int group) {
        return selector.isFromList(ctx, group, null, Ds.MATCH_NOPROTO);
    }

    @Export(natives = "ds_is_from_list", routes = RouteType.ANY, returns = {1, -1, -2, -3})
    public int ds_is_from_list_mode(MessageContext ctx, int group, int mode) {
        return selector.isFromList(ctx, group, null, mode);
    }

    @Export(natives = "ds_is_from_list", routes = RouteType.ANY, returns = {1, -1, -2, -3})
    public int ds_is_from_list_uri(MessageContext ctx, int group, int mode, String uri) {
        return selector.isFromList(ctx, group, uri, mode);
    }

    @Export(natives = {"ds_list_exists", "ds_list_exist"}, routes = RouteType.ANY, returns = {1, -1})
    public int ds_list_exists(MessageContext ctx, int set) {
        return list.find(set) != null ? 1 : -1;
    }

    @Export(routes = RouteType.ANY, returns = {1, -1})
    public int ds_is_active(MessageContext ctx, int set) {
        return states.isActive(set, null);
    }

    @Export(natives = "ds_is_active", routes = RouteType.ANY, returns = {1, -1})
    public int ds_is_active_uri(MessageContext ctx, int set, String uri) {
        return states.isActive(set, uri);
    }

    /** BYE/CANCEL take the call's load off its destination, an INVITE's 2xx confirms it; 0, -1 without Call-ID/CSeq. */
    @Export(kemiOnly = true, returns = {0, -1})
    public int ds_load_update(MessageContext ctx) {
        return selector.loadUpdate(ctx);
    }

    @Export(natives = "ds_load_update", nativeOnly = true, routes = RouteType.ANY, returns = {1, -1})
    public int ds_load_update_native(MessageContext ctx) {
        return selector.loadUpdate(ctx) < 0 ? -1 : 1;
    }

    /** The call's load off its destination (an INVITE only once its _dsdst_ records carry a dstid); 0, -1 when it has none. */
    @Export(kemiOnly = true, returns = {0, -1})
    public int ds_load_unset(MessageContext ctx) {
        return selector.loadUnset(ctx);
    }

    @Export(natives = "ds_load_unset", nativeOnly = true, routes = RouteType.ANY, returns = {1, -1})
    public int ds_load_unset_native(MessageContext ctx) {
        return selector.loadUnset(ctx) < 0 ? -1 : 1;
    }

    @Export(routes = RouteType.ANY, returns = {1, -1})
    public int ds_reload(MessageContext ctx) {
        String err = reload();
        if (err != null) {
            ScriptLog.log(ScriptLog.ERR, "dispatcher: " + (err.equals("failed") ? "Error reloading" : err));
            return -1;
        }
        return 1;
    }
}
