package dev.kemi.runtime.modules.dialog;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.api.Param;
import dev.kemi.api.Pv;
import dev.kemi.api.PvExports;
import dev.kemi.api.PvName;
import dev.kemi.api.PvSpec;
import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.core.RequestFinisher;
import dev.kemi.runtime.core.RuntimeModule;
import dev.kemi.runtime.db.Databases;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.modules.pv.PvModule;
import dev.kemi.runtime.modules.rr.RrModule;
import dev.kemi.runtime.modules.tm.Branch;
import dev.kemi.runtime.modules.tm.TmEvents;
import dev.kemi.runtime.modules.tm.TmModule;
import dev.kemi.runtime.modules.tm.TmUac;
import dev.kemi.runtime.modules.tm.Transaction;
import dev.kemi.runtime.rpc.RpcProvider;
import dev.kemi.runtime.rpc.RpcRegistry;
import dev.kemi.runtime.sip.SipMessage;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Kamailio's dialog module: dialogs tracked from the initial INVITE through tm's replies and the
 * in-dialog requests, lifetimes ending with BYEs both ways, profiles for call limits, $dlg /
 * $dlg_var / $dlg_ctx, the dialog:start/end/failed event routes and the dlg.* RPC commands.
 */
@Module(value = "dialog", loadName = "dialog")
public final class DialogModule implements RuntimeModule, RequestFinisher, RpcProvider, PvExports, DialogApi {
    private static final int REQ_FAIL_REPLY_BRANCH = RouteType.REQUEST | RouteType.FAILURE | RouteType.ONREPLY | RouteType.BRANCH;

    final DlgConfig cfg = new DlgConfig();
    final DlgProfiles profiles = new DlgProfiles();
    private String lreqCalleeHeaders;
    DlgTracker tracker;
    private final DlgPvs pvs = new DlgPvs(this);
    private final DlgDbColumns cols = new DlgDbColumns();
    private int dbMode = DlgDb.NONE, dbUpdatePeriod = 60;
    private String dbUrl = "mysql://kamailio:kamailiorw@localhost/kamailio";
    private boolean dbSkipLoad;
    private DlgDb store;
    private java.util.concurrent.ScheduledFuture<?> dbTimer;

    // ---- modparams (5.6.3 names and defaults)
    @Param("enable_stats") public void enableStats(int v) { cfg.enableStats = v != 0; }
    @Param("hash_size") public void hashSize(int v) {
        int n = Math.max(v, 1);
        cfg.hashSize = Integer.highestOneBit(n); // Kamailio rounds down to a power of 2
    }
    @Param("rr_param") public void rrParam(String v) {
        if (v == null || v.isEmpty()) throw new IllegalArgumentException("empty rr_param!!");
        if (v.length() > 32) throw new IllegalArgumentException("rr_param too long (max=32)!!");
        cfg.rrParam = v;
    }
    @Param("dlg_flag") public void dlgFlag(int v) {
        if (v > 31) throw new IllegalArgumentException("invalid dlg flag " + v + "!!");
        cfg.dlgFlag = v;
    }
    @Param("timeout_avp") public void timeoutAvp(String v) { cfg.timeoutAvp = v; }
    @Param("default_timeout") public void defaultTimeout(int v) {
        if (v <= 0) throw new IllegalArgumentException("0 default_timeout not accepted!!");
        cfg.defaultTimeout = v;
    }
    @Param("dlg_extra_hdrs") public void extraHdrs(String v) { cfg.extraHdrs = v; }
    @Param("dlg_match_mode") public void matchMode(int v) {
        if (v < 0 || v > 2) throw new IllegalArgumentException("invalid value " + v + " for seq_match_mode param!!");
        cfg.matchMode = v;
    }
    @Param("detect_spirals") public void detectSpirals(int v) {
        if (v != 0 && v != 1) throw new IllegalArgumentException("invalid value " + v + " for detect_spirals param!!");
        cfg.detectSpirals = v == 1;
    }
    @Param("profiles_with_value") public void profilesWithValue(String v) { profiles.define(v, true); }
    @Param("profiles_no_value") public void profilesNoValue(String v) { profiles.define(v, false); }
    @Param("initial_cbs_inscript") public void initialCbsInscript(int v) {
        if (v != 0 && v != 1) throw new IllegalArgumentException("invalid parameter for running initial callbacks in-script (must be either 0 or 1)");
        cfg.initialCbsInscript = v == 1;
    }
    @Param("send_bye") public void sendBye(int v) { cfg.sendBye = v != 0; }
    @Param("timeout_noreset") public void timeoutNoreset(int v) {
        if (v != 0 && v != 1) throw new IllegalArgumentException("invalid value " + v + " for timeout_noreset param!!");
        cfg.timeoutNoreset = v == 1;
    }
    /** Read by the KEMI engine too: the function event_route[dialog:*] becomes. */
    @Param("event_callback") public void eventCallback(String v) { cfg.eventCallback = v; }
    @Param("h_id_start") public void hIdStart(int v) {
        if (v == -1) throw new IllegalArgumentException("h_id_start -1 (server_id) is not supported");
        cfg.hIdStart = Math.max(v, 0);
    }
    @Param("h_id_step") public void hIdStep(int v) { cfg.hIdStep = Math.max(v, 1); }
    @Param("keep_proxy_rr") public void keepProxyRr(int v) {
        if (v < 0 || v > 3) throw new IllegalArgumentException("invalid value for keep_proxy_rr");
        if ((v & 2) != 0) throw new IllegalArgumentException("keep_proxy_rr " + v + " is not supported (no local Record-Route in the caller's route set); 0 and 1 are");
        cfg.keepProxyRr = v;
    }
    @Param("lreq_callee_headers") public void lreqCalleeHeaders(String v) { lreqCalleeHeaders = v; }
    @Param("ruri_pvar") public void ruriPvar(String v) { only("ruri_pvar", v, "$ru", "the dialog's R-URI is the request's"); }
    @Param("wait_ack") public void waitAck(int v) { only("wait_ack", v, 1, "a failed dialog stays until its transaction ends"); }
    @Param("db_mode") public void dbMode(int v) {
        if (v < 0 || v > 3) throw new IllegalArgumentException("unsupported db_mode " + v);
        dbMode = v;
    }
    @Param("db_url") public void dbUrl(String v) { dbUrl = v; }
    @Param("db_update_period") public void dbUpdatePeriod(int v) {
        if (v <= 0) throw new IllegalArgumentException("db_update_period must be positive");
        dbUpdatePeriod = v;
    }
    @Param("db_fetch_rows") public void dbFetchRows(int v) { only("db_fetch_rows", v, 200, "the rows are read in one result"); }
    @Param("db_skip_load") public void dbSkipLoad(int v) { dbSkipLoad = v != 0; }
    @Param("table_name") public void tableName(String v) { cols.table = DlgDbColumns.name("table_name", v); }
    @Param("vars_table_name") public void varsTableName(String v) { cols.varsTable = DlgDbColumns.name("vars_table_name", v); }
    @Param("call_id_column") public void callIdColumn(String v) { cols.callId = DlgDbColumns.name("call_id_column", v); }
    @Param("from_uri_column") public void fromUriColumn(String v) { cols.fromUri = DlgDbColumns.name("from_uri_column", v); }
    @Param("from_tag_column") public void fromTagColumn(String v) { cols.fromTag = DlgDbColumns.name("from_tag_column", v); }
    @Param("to_uri_column") public void toUriColumn(String v) { cols.toUri = DlgDbColumns.name("to_uri_column", v); }
    @Param("to_tag_column") public void toTagColumn(String v) { cols.toTag = DlgDbColumns.name("to_tag_column", v); }
    @Param("h_id_column") public void hIdColumn(String v) { cols.hId = DlgDbColumns.name("h_id_column", v); }
    @Param("h_entry_column") public void hEntryColumn(String v) { cols.hEntry = DlgDbColumns.name("h_entry_column", v); }
    @Param("state_column") public void stateColumn(String v) { cols.state = DlgDbColumns.name("state_column", v); }
    @Param("start_time_column") public void startTimeColumn(String v) { cols.startTime = DlgDbColumns.name("start_time_column", v); }
    @Param("timeout_column") public void timeoutColumn(String v) { cols.timeout = DlgDbColumns.name("timeout_column", v); }
    @Param("to_cseq_column") public void toCseqColumn(String v) { cols.toCseq = DlgDbColumns.name("to_cseq_column", v); }
    @Param("from_cseq_column") public void fromCseqColumn(String v) { cols.fromCseq = DlgDbColumns.name("from_cseq_column", v); }
    @Param("to_route_column") public void toRouteColumn(String v) { cols.toRoute = DlgDbColumns.name("to_route_column", v); }
    @Param("from_route_column") public void fromRouteColumn(String v) { cols.fromRoute = DlgDbColumns.name("from_route_column", v); }
    @Param("to_contact_column") public void toContactColumn(String v) { cols.toContact = DlgDbColumns.name("to_contact_column", v); }
    @Param("from_contact_column") public void fromContactColumn(String v) { cols.fromContact = DlgDbColumns.name("from_contact_column", v); }
    @Param("to_sock_column") public void toSockColumn(String v) { cols.toSock = DlgDbColumns.name("to_sock_column", v); }
    @Param("from_sock_column") public void fromSockColumn(String v) { cols.fromSock = DlgDbColumns.name("from_sock_column", v); }
    @Param("sflags_column") public void sflagsColumn(String v) { cols.sflags = DlgDbColumns.name("sflags_column", v); }
    @Param("toroute_name_column") public void torouteNameColumn(String v) { cols.toRouteName = DlgDbColumns.name("toroute_name_column", v); }
    @Param("vars_h_id_column") public void varsHIdColumn(String v) { cols.varsHId = DlgDbColumns.name("vars_h_id_column", v); }
    @Param("vars_h_entry_column") public void varsHEntryColumn(String v) { cols.varsHEntry = DlgDbColumns.name("vars_h_entry_column", v); }
    @Param("vars_key_column") public void varsKeyColumn(String v) { cols.varsKey = DlgDbColumns.name("vars_key_column", v); }
    @Param("vars_value_column") public void varsValueColumn(String v) { cols.varsValue = DlgDbColumns.name("vars_value_column", v); }
    @Param("ka_timer") public void kaTimer(int v) { only("ka_timer", v, 0, "no keepalive OPTIONS within dialogs"); }
    @Param("ka_interval") public void kaInterval(int v) { only("ka_interval", v, 0, "no keepalive OPTIONS within dialogs"); }
    @Param("track_cseq_updates") public void trackCseqUpdates(int v) { only("track_cseq_updates", v, 0, "CSeq numbers are not rewritten"); }
    @Param("enable_dmq") public void enableDmq(int v) { only("enable_dmq", v, 0, "no DMQ replication"); }
    @Param("dlg_filter_mode") public void filterMode(int v) { only("dlg_filter_mode", v, 0, "every dialog is handled locally"); }
    @Param("early_timeout") public void earlyTimeout(int v) { only("early_timeout", v, 300, "no cleanup timer for stale early dialogs"); }
    @Param("noack_timeout") public void noackTimeout(int v) { only("noack_timeout", v, 60, "no cleanup timer for dialogs without ACK"); }
    @Param("end_timeout") public void endTimeout(int v) { only("end_timeout", v, 300, "no cleanup timer for ended dialogs"); }

    private static void only(String name, int v, int supported, String why) {
        if (v != supported) throw new IllegalArgumentException(name + " " + v + " is not supported (" + why + "); only " + supported + " is");
    }

    private static void only(String name, String v, String supported, String why) {
        if (!supported.equals(v)) throw new IllegalArgumentException(name + " " + v + " is not supported (" + why + "); only " + supported + " is");
    }

    @Override
    public void init(ProxyServices services) {
        TmModule tm = services.api(TmModule.class, "dialog", "tm");
        RrModule rr = services.api(RrModule.class, "dialog", "rr");
        Pv timeoutPv = null;
        if (cfg.timeoutAvp != null) {
            if (!cfg.timeoutAvp.startsWith("$avp(")) {
                throw new IllegalArgumentException("malformed or non AVP timeout AVP definition in '" + cfg.timeoutAvp + "'");
            }
            timeoutPv = PvModule.providerOf(services).resolve(PvSpec.parse(cfg.timeoutAvp));
        }
        tracker = new DlgTracker(cfg, profiles, services, rr,
                new DlgRequests(services.api(TmUac.class, "dialog", "tm"), lreqCalleeHeaders), timeoutPv);
        if (dbMode != DlgDb.NONE) initDb(services);
        rr.addRouteCallback(tracker::routed);
        tm.addListener(new TmEvents.Listener() {
            @Override
            public void requestIn(Transaction tx, MessageContext ctx) {
                tracker.requestIn(ctx);
            }

            @Override
            public void replyReady(Transaction tx, int code, SipMessage reply, Branch winner) {
                tracker.replyOut(tx, code, reply, winner);
            }
        });
        if (cfg.enableStats) {
            var st = services.statistics();
            st.gauge("dialog", "active_dialogs", tracker.active::sum);
            st.gauge("dialog", "early_dialogs", tracker.early::sum);
            st.gauge("dialog", "processed_dialogs", tracker.processed::sum);
            st.gauge("dialog", "expired_dialogs", tracker.expired::sum);
            st.gauge("dialog", "failed_dialogs", tracker.failed::sum);
        }
    }

    /** init_dlg_db: bind, check both table versions, load the dialogs; delayed mode writes on a timer. */
    private void initDb(ProxyServices services) {
        if (dbUrl == null || dbUrl.isEmpty()) throw new IllegalArgumentException("db_url not configured for db_mode " + dbMode);
        store = new DlgDb(Databases.bind(services, "dialog", dbUrl), dbMode, cols);
        store.checkVersions();
        tracker.store = store;
        if (!dbSkipLoad) {
            store.load(tracker, profiles, name -> services.sockets().stream().filter(s -> s.toString().equals(name)).findFirst().orElse(null));
        }
        if (dbMode == DlgDb.DELAYED) {
            dbTimer = services.timers().scheduleWithFixedDelay(this::dbUpdate, dbUpdatePeriod, dbUpdatePeriod, TimeUnit.SECONDS);
        }
    }

    /** dialog_update_db: each dialog with changes has them taken on its worker and written on the db thread. */
    private void dbUpdate() {
        for (Dialog d : tracker.table.all()) {
            if (DlgDb.pending(d)) tracker.onWorker(d, () -> store.writeLater(d));
        }
    }

    @Override
    public void shutdown() {
        if (dbTimer != null) dbTimer.cancel(false);
        // mod_destroy: delayed and shutdown modes write what is left (the workers have stopped)
        if (store != null && (dbMode == DlgDb.DELAYED || dbMode == DlgDb.SHUTDOWN)) store.flush(tracker.table.all());
    }

    @Override
    public void afterRequestRoute(MessageContext ctx) {
        if (tracker != null) tracker.afterRequestRoute(ctx);
    }

    @Override
    public void registerRpc(RpcRegistry registry) {
        new DlgRpc(this).register(registry);
    }

    @Override
    public Set<String> pvNames() {
        return DlgPvs.NAMES;
    }

    @Override
    public Pv resolvePv(PvSpec spec) {
        return pvs.resolve(spec);
    }

    // ------------------------------------------------------------------ DialogApi

    @Override
    public void addListener(DialogApi.Listener l) {
        tracker.listeners.add(l);
    }

    @Override
    public Dlg dialogOf(MessageContext ctx) {
        return tracker.dialogOf(ctx);
    }

    @Override
    public boolean terminate(Dlg d, String extraHeaders) {
        return tracker.byeAll((Dialog) d, extraHeaders);
    }

    @Override
    public String var(Dlg d, String name) {
        return ((Dialog) d).vars.get(name);
    }

    @Override
    public void setVar(Dlg d, String name, String value) {
        Dialog dl = (Dialog) d;
        dl.putVar(name, value);
        dl.dflags |= Dialog.FLAG_CHANGED_VARS;
        tracker.realtimeWrite(dl);
    }

    // ------------------------------------------------------------------ script functions (5.6.3 cmd_export_t flags)

    @Export(routes = RouteType.REQUEST, returns = {1, -1})
    public int dlg_manage(MessageContext ctx) {
        return tracker.manage(ctx);
    }

    @Export(value = "set_dlg_profile_static", natives = "set_dlg_profile", returns = {1, -1})
    public int set_dlg_profile_static(MessageContext ctx, String profile) {
        return setProfile(ctx, profile, null);
    }

    @Export(returns = {1, -1})
    public int set_dlg_profile(MessageContext ctx, String profile, String value) {
        return setProfile(ctx, profile, value);
    }

    private DlgProfiles.Profile profile(String name) {
        DlgProfiles.Profile p = profiles.get(name);
        if (p == null) ScriptLog.log(ScriptLog.CRIT, "dialog: profile <" + name + "> not defined");
        return p;
    }

    private int setProfile(MessageContext ctx, String name, String value) {
        DlgProfiles.Profile p = profileFor(name, value);
        if (p == null) return -1;
        Dialog d = tracker.dialogOf(ctx);
        if (d == null && ctx.routeType() != RouteType.REQUEST) {
            ScriptLog.log(ScriptLog.CRIT, "dialog: BUG - dialog not found in a non REQUEST route (1)");
            return -1;
        }
        if (d != null) {
            profiles.link(d, p, value);
            d.dflags |= Dialog.FLAG_CHANGED_PROF;
        }
        else DlgCtx.of(ctx).pendingProfiles.add(new DlgCtx.PendingProfile(p, p.hasValue ? value : ""));
        return 1;
    }

    @Export(value = "unset_dlg_profile_static", natives = "unset_dlg_profile", routes = REQ_FAIL_REPLY_BRANCH, returns = {1, -1})
    public int unset_dlg_profile_static(MessageContext ctx, String profile) {
        return unsetProfile(ctx, profile, null);
    }

    @Export(routes = REQ_FAIL_REPLY_BRANCH, returns = {1, -1})
    public int unset_dlg_profile(MessageContext ctx, String profile, String value) {
        return unsetProfile(ctx, profile, value);
    }

    private int unsetProfile(MessageContext ctx, String name, String value) {
        DlgProfiles.Profile p = profileFor(name, value);
        if (p == null) return -1;
        if (ctx.routeType() == RouteType.REQUEST) {
            ScriptLog.log(ScriptLog.ERR, "dialog: dialog delete profile cannot be used in request route");
            return -1;
        }
        Dialog d = tracker.dialogOf(ctx);
        if (d == null) {
            ScriptLog.log(ScriptLog.WARN, "dialog: dialog is NULL for delete profile");
            return -1;
        }
        DlgProfiles.Link l = linkOf(d, p, value);
        if (l == null) return -1;
        d.profiles.remove(l);
        l.remove();
        return 1;
    }

    @Export(value = "is_in_profile_static", natives = "is_in_profile", returns = {1, -1})
    public int is_in_profile_static(MessageContext ctx, String profile) {
        return inProfile(ctx, profile, null);
    }

    @Export(returns = {1, -1})
    public int is_in_profile(MessageContext ctx, String profile, String value) {
        return inProfile(ctx, profile, value);
    }

    private int inProfile(MessageContext ctx, String name, String value) {
        DlgProfiles.Profile p = profileFor(name, value);
        if (p == null) return -1;
        Dialog d = tracker.dialogOf(ctx);
        return d != null && linkOf(d, p, value) != null ? 1 : -1;
    }

    /** The named profile, or null (logged as Kamailio does) when it is unknown or needs a value and got none. */
    private DlgProfiles.Profile profileFor(String name, String value) {
        DlgProfiles.Profile p = profile(name);
        if (p == null) return null;
        if (p.hasValue && (value == null || value.isEmpty())) {
            ScriptLog.log(ScriptLog.ERR, "dialog: invalid value parameter");
            return null;
        }
        return p;
    }

    /** The dialog's membership of {@code p} (with that value, for a profile with values), or null. */
    private static DlgProfiles.Link linkOf(Dialog d, DlgProfiles.Profile p, String value) {
        for (DlgProfiles.Link l : d.profiles) {
            if (l.profile() == p && (!p.hasValue || l.value().equals(value))) return l;
        }
        return null;
    }

    @Export(value = "get_profile_size_static", natives = "get_profile_size", returns = {1, -1})
    public int get_profile_size_static(MessageContext ctx, String profile, @PvName String dst) {
        return profileSize(ctx, profile, null, dst);
    }

    @Export(returns = {1, -1})
    public int get_profile_size(MessageContext ctx, String profile, String value, @PvName String dst) {
        if (value == null || value.isEmpty()) {
            ScriptLog.log(ScriptLog.WARN, "dialog: cannot get string for value");
            return -1;
        }
        return profileSize(ctx, profile, value, dst);
    }

    private int profileSize(MessageContext ctx, String name, String value, String dst) {
        DlgProfiles.Profile p = profile(name);
        if (p == null) return -1;
        if (dst == null || dst.isEmpty()) {
            ScriptLog.log(ScriptLog.ERR, "dialog: invalid destination var name");
            return -1;
        }
        Pv pv;
        try {
            pv = PvModule.providerOf(ctx.services()).resolve(PvSpec.parse(dst));
        } catch (IllegalArgumentException e) {
            ScriptLog.log(ScriptLog.ERR, "dialog: cannot get pv spec for [" + dst + "]");
            return -1;
        }
        if (!pv.writable()) {
            ScriptLog.log(ScriptLog.ERR, "dialog: return must be an AVP or SCRIPT VAR!");
            return -1;
        }
        pv.set(ctx, p.size(p.hasValue ? value : null));
        return 1;
    }

    @Export(returns = {1, -1})
    public int dlg_setflag(MessageContext ctx, int flag) {
        if (flag < 0 || flag > 31) return -1;
        DlgCtx c = DlgCtx.of(ctx);
        c.flags |= 1 << flag;
        if (c.dlg != null) c.dlg.sflags |= 1 << flag;
        return 1;
    }

    @Export(returns = {1, -1})
    public int dlg_resetflag(MessageContext ctx, int flag) {
        if (flag < 0 || flag > 31) return -1;
        DlgCtx c = DlgCtx.of(ctx);
        c.flags &= ~(1 << flag);
        if (c.dlg != null) c.dlg.sflags &= ~(1 << flag);
        return 1;
    }

    @Export(returns = {1, -1})
    public int dlg_isflagset(MessageContext ctx, int flag) {
        if (flag < 0 || flag > 31) return -1;
        DlgCtx c = DlgCtx.of(ctx);
        if (c.dlg != null) return (c.dlg.sflags & (1 << flag)) != 0 ? 1 : -1;
        return (c.flags & (1 << flag)) != 0 ? 1 : -1;
    }

    /** "caller", "callee" or (KEMI: anything else, native: "all") both. */
    @Export(returns = {1, -1})
    public int dlg_bye(MessageContext ctx, String side) {
        Dialog d = DlgCtx.peek(ctx) == null ? null : DlgCtx.peek(ctx).dlg;
        if (d == null) return -1;
        boolean ok;
        if ("caller".equalsIgnoreCase(side)) ok = tracker.bye(d, Dialog.CALLER, null);
        else if ("callee".equalsIgnoreCase(side)) ok = tracker.bye(d, Dialog.CALLEE, null);
        else ok = tracker.byeAll(d, null);
        return ok ? 1 : -1;
    }

    @Export(returns = {1, -1})
    public int is_known_dlg(MessageContext ctx) {
        return tracker.dialogOf(ctx) != null ? 1 : -1;
    }

    @Export(returns = {1, -1})
    public int dlg_set_timeout(MessageContext ctx, int timeout) {
        if (timeout <= 0) {
            ScriptLog.log(ScriptLog.ERR, "dialog: invalid timeout value: " + timeout);
            return -1;
        }
        Dialog d = tracker.dialogOf(ctx);
        if (d == null) return -1;
        tracker.updateTimeout(d, timeout);
        return 1;
    }

    @Export(value = "dlg_set_timeout_id", natives = "dlg_set_timeout", returns = {1, -1})
    public int dlg_set_timeout_id(MessageContext ctx, int timeout, int hEntry, int hId) {
        if (timeout <= 0) {
            ScriptLog.log(ScriptLog.ERR, "dialog: invalid timeout value: " + timeout);
            return -1;
        }
        Dialog d = tracker.table.lookup(hEntry, hId);
        if (d == null) return -1;
        tracker.updateTimeout(d, timeout);
        return 1;
    }

    @Export(natives = "dlg_set_timeout_by_profile", nativeOnly = true, returns = {1, -1})
    public int dlg_set_timeout_by_profile(MessageContext ctx, String profile, String timeout) {
        return timeoutByProfile(profile, null, timeout);
    }

    @Export(natives = "dlg_set_timeout_by_profile", nativeOnly = true, returns = {1, -1})
    public int dlg_set_timeout_by_profile(MessageContext ctx, String profile, String value, String timeout) {
        return timeoutByProfile(profile, value, timeout);
    }

    private int timeoutByProfile(String name, String value, String timeout) {
        DlgProfiles.Profile p = profile(name);
        if (p == null) return -1;
        int to;
        try {
            to = Integer.parseInt(timeout.trim());
        } catch (NumberFormatException e) {
            to = 0;
        }
        String v = p.hasValue ? value : null;
        for (var e : p.members.entrySet()) {
            if (v != null && !e.getKey().equals(v)) continue;
            for (DlgProfiles.Link l : e.getValue()) {
                Dialog d = l.dlg();
                if (d.state >= Dialog.EARLY) {
                    int t = to;
                    tracker.onWorker(d, () -> tracker.updateTimeout(d, t));
                }
            }
        }
        return 1;
    }

    @Export(returns = {1, -1})
    public int dlg_set_property(MessageContext ctx, String prop) {
        return property(ctx, prop, true);
    }

    @Export(returns = {1, -1})
    public int dlg_reset_property(MessageContext ctx, String prop) {
        return property(ctx, prop, false);
    }

    private int property(MessageContext ctx, String prop, boolean set) {
        if (prop == null || prop.isEmpty()) {
            ScriptLog.log(ScriptLog.ERR, "dialog: empty property value");
            return -1;
        }
        int flag = switch (prop) {
            case "ka-src" -> Dialog.IFLAG_KA_SRC;
            case "ka-dst" -> Dialog.IFLAG_KA_DST;
            case "timeout-noreset" -> Dialog.IFLAG_TIMER_NORESET;
            default -> 0;
        };
        if (flag == 0) {
            ScriptLog.log(ScriptLog.ERR, "dialog: unknown property value [" + prop + "]");
            return -1;
        }
        if (flag != Dialog.IFLAG_TIMER_NORESET && set) {
            ScriptLog.log(ScriptLog.ERR, "dialog: property " + prop + " is not supported (no keepalives within dialogs)");
            return -1;
        }
        DlgCtx c = DlgCtx.of(ctx);
        if (set) c.iflags |= flag;
        else c.iflags &= ~flag;
        if (c.dlg != null) {
            if (set) c.dlg.iflags |= flag;
            else c.dlg.iflags &= ~flag;
        }
        return 1;
    }

    /** Makes the dialog of these Call-ID and tags the context's. */
    @Export(returns = {1, -1})
    public int dlg_get(MessageContext ctx, String callId, String fromTag, String toTag) {
        if (callId == null || callId.isEmpty() || fromTag == null || fromTag.isEmpty() || toTag == null || toTag.isEmpty()) {
            ScriptLog.log(ScriptLog.ERR, "dialog: invalid Call-ID, From tag or To tag parameter");
            return -1;
        }
        int[] dir = {0};
        Dialog d = tracker.table.find(callId, fromTag, toTag, dir);
        if (d == null) return -1;
        DlgCtx c = DlgCtx.of(ctx);
        c.dlg = d;
        c.dir = dir[0];
        return 1;
    }

    /** The R-URI becomes the contact of the leg the request goes to. */
    @Export(nativeOnly = true, returns = {1, -1})
    public int dlg_set_ruri(MessageContext ctx) {
        Dialog d = tracker.dialogOf(ctx);
        if (d == null) return -1;
        DlgCtx c = DlgCtx.peek(ctx);
        int dir = c != null && c.dlg == d ? c.dir : dirOf(ctx, d);
        int leg = dir == Dialog.DIR_DOWNSTREAM ? Dialog.CALLEE : Dialog.CALLER;
        String contact = d.contact[leg];
        if (contact == null || contact.isEmpty()) {
            ScriptLog.log(ScriptLog.NOTICE, "dialog: no contact uri (leg: " + leg + ")");
            return -1;
        }
        ctx.msg().setRequestUri(contact);
        return 1;
    }

    private static int dirOf(MessageContext ctx, Dialog d) {
        DlgTracker.Ids id = DlgTracker.ids(ctx.msg());
        return id == null ? Dialog.DIR_NONE : Math.max(d.match(id.callId(), id.fromTag(), id.toTag()), Dialog.DIR_NONE);
    }

    // ---- KEMI dialog variables
    @Export(kemiOnly = true, returns = {1, -1})
    public int var_sets(MessageContext ctx, String name, String value) {
        pvs.setVar(ctx, name, value, false);
        return 1;
    }

    @Export(kemiOnly = true)
    public Object var_get(MessageContext ctx, String name) {
        return pvs.getVar(ctx, name);
    }

    @Export(kemiOnly = true)
    public Object var_gete(MessageContext ctx, String name) {
        String v = pvs.getVar(ctx, name);
        return v == null ? "" : v;
    }

    @Export(kemiOnly = true)
    public Object var_getw(MessageContext ctx, String name) {
        String v = pvs.getVar(ctx, name);
        return v == null ? "<null>" : v;
    }

    @Export(kemiOnly = true, returns = {1})
    public int var_rm(MessageContext ctx, String name) {
        pvs.setVar(ctx, name, null, false);
        return 1;
    }

    @Export(kemiOnly = true, returns = {1, -1})
    public int var_is_null(MessageContext ctx, String name) {
        Dialog d = tracker.dialogOf(ctx);
        if (d == null) return 1;
        return d.vars.get(name) == null ? 1 : -1;
    }
}
