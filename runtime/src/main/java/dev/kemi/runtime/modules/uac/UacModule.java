package dev.kemi.runtime.modules.uac;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.api.Param;
import dev.kemi.api.Pv;
import dev.kemi.api.PvSpec;
import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.core.RuntimeModule;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.modules.pv.PvModule;
import dev.kemi.runtime.modules.rr.RrApi;
import dev.kemi.runtime.modules.tm.TmEvents;
import dev.kemi.runtime.modules.tm.Transaction;
import dev.kemi.api.PvExports;
import dev.kemi.runtime.modules.tm.TmUac;
import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.db.Database;
import dev.kemi.runtime.db.DbException;
import dev.kemi.runtime.db.Databases;
import dev.kemi.runtime.rpc.RpcProvider;
import dev.kemi.runtime.rpc.RpcRegistry;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.SipUri;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Kamailio's uac module: From/To replacing with restore (auto, manual, none) and answering
 * upstream digest challenges in failure_route. Bound to tm (reply callbacks) and, unless
 * restore_mode is none, to rr (Record-Route parameters, loose_route callback).
 */
@Module(value = "uac", loadName = "uac")
public final class UacModule implements RuntimeModule, PvExports, RpcProvider {
    private final UacConfig cfg = new UacConfig();
    /** $uac_req: one per worker thread, as Kamailio has one per process. */
    private final ThreadLocal<UacReq> uacReq = ThreadLocal.withInitial(UacReq::new);
    private TmUac tmUac;
    private UacSend sender;
    private String defaultSocket;
    private final UacRegistrations.Config regCfg = new UacRegistrations.Config();
    private UacRegistrations regs;
    private ProxyServices services;
    private java.util.concurrent.ScheduledFuture<?> regTimer;
    private final Credentials credentials = new Credentials();
    private Replacer replacer;
    private UacAuth auth;

    @Override
    public void init(ProxyServices services) {
        this.services = services;
        if ((cfg.rrFromParam.isEmpty() || cfg.rrToParam.isEmpty()) && cfg.restoreMode != Replacer.NONE) {
            throw new IllegalStateException("uac: rr_store_param cannot be empty if FROM is restoreable");
        }
        Pv user = null, realm = null, pass = null;
        if (cfg.authUsernameAvp != null || cfg.authPasswordAvp != null || cfg.authRealmAvp != null) {
            if (cfg.authUsernameAvp == null || cfg.authPasswordAvp == null || cfg.authRealmAvp == null) {
                throw new IllegalStateException("uac: partial definition of auth AVP!");
            }
            realm = pv(services, cfg.authRealmAvp, "realm");
            user = pv(services, cfg.authUsernameAvp, "username");
            pass = pv(services, cfg.authPasswordAvp, "password");
        }
        TmEvents tm = services.api(TmEvents.class, "uac", "tm");
        auth = new UacAuth(credentials, user, realm, pass);
        RrApi rr = null;
        if (cfg.restoreMode != Replacer.NONE) {
            rr = services.api(RrApi.class, "uac", "rr");
            if (cfg.restoreMode == Replacer.AUTO && !rr.appendFromtag()) {
                throw new IllegalStateException("uac: 'append_fromtag' RR param is not enabled! - required by AUTO restore mode");
            }
        }
        replacer = new Replacer(cfg, rr);
        tmUac = services.api(TmUac.class, "uac", "tm");
        ListenSocket dflt = null;
        if (defaultSocket != null && !defaultSocket.isEmpty()) {
            dflt = services.sockets().stream().filter(s -> SendSocketSpec.matches(s, defaultSocket)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("uac: non-local socket <" + defaultSocket + ">"));
        }
        sender = new UacSend(services, tmUac, uacReq, dflt);
        if (regCfg.dbUrl != null) startRegistrations(services, dflt);
        if (cfg.restoreMode == Replacer.AUTO) rr.addRouteCallback((ctx, params) -> replacer.routed(ctx));
        tm.addListener(new TmEvents.Listener() {
            @Override
            public void responseIn(Transaction t, MessageContext reply) {
                Replacer.restoreReply(t, reply);
            }
        });
    }

    /** uac_reg: the records loaded and registered now, then the timer every reg_timer_interval seconds. */
    private void startRegistrations(ProxyServices services, ListenSocket dflt) {
        if (regCfg.contactAddr == null || regCfg.contactAddr.isEmpty()) {
            throw new IllegalStateException("uac: contact address parameter not set (reg_contact_addr)");
        }
        Database db = Databases.bind(services, "uac", regCfg.dbUrl);
        regs = new UacRegistrations(regCfg, services, tmUac, db,
                spec -> spec == null ? dflt : UacRegistrations.socket(services, spec));
        try {
            regs.load();
        } catch (DbException e) {
            throw new IllegalStateException("uac: " + e.getMessage(), e);
        }
        regTimer = services.timers().scheduleWithFixedDelay(() -> {
            try {
                regs.tick();
            } catch (RuntimeException e) {
                ScriptLog.log(ScriptLog.ERR, "uac: registration timer failed: " + e);
            }
        }, 0, regCfg.timerInterval, TimeUnit.SECONDS);
    }

    @Override
    public void registerRpc(RpcRegistry registry) {
        if (regCfg.dbUrl != null) {
            new UacRegRpc(() -> regs).register(registry);
        }
    }

    @Override
    public void shutdown() {
        if (regTimer != null) regTimer.cancel(false);
    }

    @Override
    public Set<String> pvNames() {
        return Set.of("uac_req");
    }

    @Override
    public Pv resolvePv(PvSpec spec) {
        return UacReqPv.of(spec.param(), uacReq::get);
    }

    private static Pv pv(ProxyServices services, String spec, String what) {
        try {
            return PvModule.providerOf(services).resolve(PvSpec.parse(spec.startsWith("$") ? spec : "$" + spec));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("uac: malformed or non AVP " + what + " AVP definition: " + spec, e);
        }
    }

    // ------------------------------------------------------------------ replacing

    @Export(routes = RouteType.REQUEST | RouteType.BRANCH, returns = {1, -1})
    public int uac_replace_from(MessageContext ctx, String display, String uri) {
        return replacer.replace(ctx, display, uri, true);
    }

    /** Native uac_replace_from(uri): the display name is kept. */
    @Export(natives = "uac_replace_from", routes = RouteType.REQUEST | RouteType.BRANCH, returns = {1, -1})
    public int uac_replace_from_uri(MessageContext ctx, String uri) {
        return replacer.replace(ctx, null, uri, true);
    }

    @Export(routes = RouteType.REQUEST, returns = {1, -1})
    public int uac_restore_from(MessageContext ctx) {
        return restore(ctx, true);
    }

    @Export(routes = RouteType.REQUEST | RouteType.BRANCH, returns = {1, -1})
    public int uac_replace_to(MessageContext ctx, String display, String uri) {
        return replacer.replace(ctx, display, uri, false);
    }

    /** Native uac_replace_to(uri): the display name is kept. */
    @Export(natives = "uac_replace_to", routes = RouteType.REQUEST | RouteType.BRANCH, returns = {1, -1})
    public int uac_replace_to_uri(MessageContext ctx, String uri) {
        return replacer.replace(ctx, null, uri, false);
    }

    @Export(routes = RouteType.REQUEST, returns = {1, -1})
    public int uac_restore_to(MessageContext ctx) {
        return restore(ctx, false);
    }

    private int restore(MessageContext ctx, boolean from) {
        if (!ctx.msg().isRequest()) {
            ScriptLog.log(ScriptLog.ERR, "uac: called for something not request");
            return -1;
        }
        if (cfg.restoreMode == Replacer.NONE) return -1;
        return replacer.restore(ctx, from);
    }

    // ------------------------------------------------------------------ authentication

    @Export(routes = RouteType.FAILURE, returns = {1, -1})
    public int uac_auth(MessageContext ctx) {
        return auth.answer(ctx, 0);
    }

    /** mode 1: the password (modparam or AVP) is already HA1. Native uac_auth(mode) too. */
    @Export(natives = {"uac_auth_mode", "uac_auth"}, routes = RouteType.FAILURE, returns = {1, -1})
    public int uac_auth_mode(MessageContext ctx, int mode) {
        return auth.answer(ctx, mode);
    }

    // ------------------------------------------------------------------ local requests

    @Export(returns = {1, -1})
    public int uac_req_send(MessageContext ctx) {
        return sender.send();
    }

    // ------------------------------------------------------------------ remote registrations

    /** 1 found (dst set to sip:l_username@l_domain), -1 not. */
    @Export(returns = {1, -1})
    public int uac_reg_lookup(MessageContext ctx, String uuid, @dev.kemi.api.PvName String dst) {
        UacRegRecord r = regs == null ? null : regs.byUuid(uuid);
        if (r == null) return -1;
        return setPv(ctx, dst, "sip:" + r.lUsername + "@" + r.lDomain);
    }

    /** 1 found (dst set to the l_uuid of the record whose l_username is the URI's user), -1 not, -2 bad URI. */
    @Export(returns = {1, -1, -2})
    public int uac_reg_lookup_uri(MessageContext ctx, String uri, @dev.kemi.api.PvName String dst) {
        if (regs == null) return -1;
        SipUri u;
        try {
            u = SipUri.parse(uri);
        } catch (SipParseException | RuntimeException e) {
            ScriptLog.log(ScriptLog.ERR, "uac: failed to parse uri");
            return -2;
        }
        UacRegRecord r = regs.byUser(u.user() == null ? "" : u.user(), regCfg.useDomain != 0 ? u.host() : null);
        if (r == null) return -1;
        return setPv(ctx, dst, r.lUuid);
    }

    /** 1 registered, -2 registering, -3 disabled, -99 other (or not found: -1). */
    @Export(returns = {1, -1, -2, -3, -99})
    public int uac_reg_status(MessageContext ctx, String uuid) {
        UacRegRecord r = regs == null ? null : regs.byUuid(uuid);
        if (r == null) return -1;
        synchronized (r) {
            if ((r.flags & UacRegRecord.ONLINE) != 0 && r.timerExpires > UacRegistrations.now()) return 1;
            if ((r.flags & UacRegRecord.ONGOING) != 0) return -2;
            if ((r.flags & UacRegRecord.DISABLED) != 0) return -3;
            return -99;
        }
    }

    /**
     * R-URI sip:r_username@r_domain, $du auth_proxy, and the auth AVPs set from a record (mode
     * bit 0: by l_username instead of l_uuid; bit 1: the HA1 instead of the password).
     */
    @Export(routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.BRANCH, returns = {1, -1, -2})
    public int uac_reg_request_to(MessageContext ctx, String id, int mode) {
        if (mode > 3 || regs == null) return -1;
        UacRegRecord r;
        if ((mode & 1) == 0) {
            r = regs.byUuid(id);
        } else if (regCfg.useDomain != 0) {
            SipUri u;
            try {
                u = SipUri.parse(id);
            } catch (SipParseException | RuntimeException e) {
                return -2;
            }
            r = regs.byUser(u.user() == null ? "" : u.user(), u.host());
        } else {
            r = regs.byUser(id, null);
        }
        if (r == null) return -1;
        if (cfg.authRealmAvp == null) {
            ScriptLog.log(ScriptLog.ERR, "uac: uac_reg_request_to needs the auth_*_avp modparams");
            return -1;
        }
        ctx.msg().setRequestUri("sip:" + r.rUsername + "@" + r.rDomain);
        ctx.setDstUri(r.authProxy);
        if (setPv(ctx, cfg.authRealmAvp, UacRegRecord.orEmpty(r.realm)) < 0
                || setPv(ctx, cfg.authUsernameAvp, r.authUsername) < 0
                || setPv(ctx, cfg.authPasswordAvp, UacRegRecord.orEmpty((mode & 2) != 0 ? r.authHa1 : r.authPassword)) < 0) {
            return -1;
        }
        return 1;
    }

    @Export(returns = {1, -1, -2, -3})
    public int uac_reg_enable(MessageContext ctx, String attr, String val) {
        if (regs != null) regs.regdisabled.decrement();
        return updateFlag(attr, val, false);
    }

    @Export(returns = {1, -1, -2, -3})
    public int uac_reg_disable(MessageContext ctx, String attr, String val) {
        if (regs != null) regs.regdisabled.increment();
        return updateFlag(attr, val, true);
    }

    /** Reloads one record from the table. */
    @Export(returns = {1, -1})
    public int uac_reg_refresh(MessageContext ctx, String uuid) {
        if (uuid == null || uuid.isEmpty() || regs == null) return -1;
        int ret = regs.refresh(uuid);
        if (ret == 0) ScriptLog.log(ScriptLog.WARN, "uac: record not found: " + uuid);
        return ret > 0 ? 1 : -1;
    }

    private int updateFlag(String attr, String val, boolean disable) {
        if (regs == null) {
            ScriptLog.log(ScriptLog.ERR, "uac: uac remote registrations not enabled");
            return -1;
        }
        if (attr == null || attr.isEmpty() || val == null || val.isEmpty()) return -1;
        UacRegRecord[] out = new UacRegRecord[1];
        int ret = regs.byFilter(attr, val, out);
        if (ret == 0) return -2;
        if (ret < 0) return -3;
        synchronized (out[0]) {
            if (disable) out[0].flags |= UacRegRecord.DISABLED;
            else out[0].flags &= ~UacRegRecord.DISABLED;
            out[0].timerExpires = UacRegistrations.now() + 1;
        }
        return 1;
    }

    private int setPv(MessageContext ctx, String name, String value) {
        Pv pv;
        try {
            pv = PvModule.providerOf(services).resolve(PvSpec.parse(name.startsWith("$") ? name : "$" + name));
        } catch (IllegalArgumentException e) {
            ScriptLog.log(ScriptLog.ERR, "uac: cannot get pv spec for [" + name + "]");
            return -1;
        }
        if (!pv.writable()) {
            ScriptLog.log(ScriptLog.ERR, "uac: dst is not w/");
            return -1;
        }
        pv.set(ctx, value);
        return 1;
    }

    // ------------------------------------------------------------------ modparams

    @Param("rr_from_store_param") public void rrFromStoreParam(String v) { cfg.rrFromParam = v; }
    @Param("rr_to_store_param") public void rrToStoreParam(String v) { cfg.rrToParam = v; }
    @Param("restore_passwd") public void restorePasswd(String v) { cfg.passwd = v == null ? "" : v; }

    @Param("restore_mode")
    public void restoreMode(String v) {
        if (v == null || v.isEmpty()) return;
        cfg.restoreMode = switch (v.toLowerCase(Locale.ROOT)) {
            case "none" -> Replacer.NONE;
            case "manual" -> Replacer.MANUAL;
            case "auto" -> Replacer.AUTO;
            default -> throw new IllegalArgumentException("unsupported value '" + v + "' for restore_mode");
        };
    }

    @Param("credential") public void credential(String v) { credentials.add(v); }
    @Param("auth_username_avp") public void authUsernameAvp(String v) { cfg.authUsernameAvp = v; }
    @Param("auth_realm_avp") public void authRealmAvp(String v) { cfg.authRealmAvp = v; }
    @Param("auth_password_avp") public void authPasswordAvp(String v) { cfg.authPasswordAvp = v; }

    /** Restoring through dialog variables needs the dialog module's API, which is not there yet. */
    @Param("restore_dlg")
    public void restoreDlg(int v) {
        if (v != 0) throw new IllegalArgumentException("restore_dlg " + v + " is not supported (no dialog API for uac yet); only 0 is");
    }

    // Features not implemented yet: declared so that the error names them, refused whatever the value.
    @Param("restore_from_avp") public void restoreFromAvp(String v) { unsupported("restore_from_avp", "replies are restored from the request's header"); }
    @Param("restore_to_avp") public void restoreToAvp(String v) { unsupported("restore_to_avp", "replies are restored from the request's header"); }
    @Param("reg_db_url") public void regDbUrl(String v) { regCfg.dbUrl = v == null || v.isEmpty() ? null : v; }
    @Param("reg_db_table") public void regDbTable(String v) { regCfg.table = v; }
    @Param("reg_contact_addr") public void regContactAddr(String v) { regCfg.contactAddr = v; }

    @Param("reg_timer_interval")
    public void regTimerInterval(int v) {
        if (v <= 0) throw new IllegalArgumentException("reg_timer_interval must be positive");
        regCfg.timerInterval = v;
    }

    @Param("reg_retry_interval") public void regRetryInterval(int v) { regCfg.retryInterval = v; }
    @Param("reg_keep_callid") public void regKeepCallid(int v) { regCfg.keepCallid = v; }
    @Param("reg_random_delay") public void regRandomDelay(int v) { regCfg.randomDelay = v; }
    @Param("reg_active") public void regActive(int v) { regCfg.active = v; }
    /** Seconds between two uac.reg_reload (Kamailio keeps the old records that long). */
    @Param("reg_gc_interval") public void regGcInterval(int v) { regCfg.gcInterval = v; }
    /** log2 of the bucket count (2..14): sets the order uac.reg_dump lists records in. */
    @Param("reg_hash_size") public void regHashSize(int v) { regCfg.hashSize = v; }
    @Param("reg_use_domain") public void regUseDomain(int v) { regCfg.useDomain = v; }
    /** "proto:host:port" of one of our sockets, for uac_req_send without $uac_req(sock). */
    @Param("default_socket") public void defaultSocket(String v) { defaultSocket = v; }
    /** KEMI function for event_route[uac:reply]; the script engine reads it. */
    @Param("event_callback") public void eventCallback(String v) { }

    private static void unsupported(String name, String why) {
        throw new IllegalArgumentException(name + " is not supported (" + why + ")");
    }
}
