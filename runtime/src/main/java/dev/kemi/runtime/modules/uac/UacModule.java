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
import dev.kemi.runtime.core.ReplyHandler;
import dev.kemi.runtime.core.StatelessReply;
import dev.kemi.runtime.modules.tm.TmModule;
import dev.kemi.runtime.transport.ListenSocket;
import java.util.Locale;
import java.util.Set;

/**
 * Kamailio's uac module: From/To replacing with restore (auto, manual, none) and answering
 * upstream digest challenges in failure_route. Bound to tm (reply callbacks) and, unless
 * restore_mode is none, to rr (Record-Route parameters, loose_route callback).
 */
@Module(value = "uac", loadName = "uac")
public final class UacModule implements RuntimeModule, ReplyHandler, PvExports {
    private final UacConfig cfg = new UacConfig();
    /** $uac_req: one per worker thread, as Kamailio has one per process. */
    private final ThreadLocal<UacReq> uacReq = ThreadLocal.withInitial(UacReq::new);
    private LocalClient client;
    private UacSend sender;
    private String defaultSocket;
    private final Credentials credentials = new Credentials();
    private Replacer replacer;
    private UacAuth auth;

    @Override
    public void init(ProxyServices services) {
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
        client = new LocalClient(services, userAgent(services), services.api(TmModule.class, "uac", "tm").nonInviteTimers());
        ListenSocket dflt = null;
        if (defaultSocket != null && !defaultSocket.isEmpty()) {
            dflt = services.sockets().stream().filter(s -> SendSocketSpec.matches(s, defaultSocket)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("uac: non-local socket <" + defaultSocket + ">"));
        }
        sender = new UacSend(services, client, uacReq, dflt);
        if (cfg.restoreMode == Replacer.AUTO) rr.addRoutedListener((ctx, params) -> replacer.routed(ctx));
        tm.addListener(new TmEvents.Listener() {
            @Override
            public void responseIn(Transaction t, MessageContext reply) {
                Replacer.restoreReply(t, reply);
            }
        });
    }

    @Override
    public void shutdown() {
        if (client != null) client.stop();
    }

    /** Replies to uac's own requests are taken here, the rest go on to tm. */
    @Override
    public boolean onReply(MessageContext ctx) {
        return client != null && client.onReply(ctx);
    }

    @Override
    public Set<String> pvNames() {
        return Set.of("uac_req");
    }

    @Override
    public Pv resolvePv(PvSpec spec) {
        return UacReqPv.of(spec.param(), uacReq::get);
    }

    /** The User-Agent line of local requests, as Kamailio's user_agent_header / server_signature. */
    private static String userAgent(ProxyServices services) {
        String h = services.globalParam("user_agent_header");
        if (h != null && !h.isEmpty()) return h.endsWith("\r\n") ? h.substring(0, h.length() - 2) : h;
        String server = StatelessReply.serverHeader(services);
        return server == null ? null : "User-Agent:" + server.substring(server.indexOf(':') + 1);
    }

    private static Pv pv(ProxyServices services, String spec, String what) {
        try {
            return PvModule.providerOf(services).resolve(PvSpec.parse(spec.startsWith("$") ? spec.substring(1) : spec));
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
    @Param("reg_db_url") public void regDbUrl(String v) { unsupported("reg_db_url", "no uac_reg registrations yet"); }
    @Param("reg_db_table") public void regDbTable(String v) { unsupported("reg_db_table", "no uac_reg registrations yet"); }
    @Param("reg_contact_addr") public void regContactAddr(String v) { unsupported("reg_contact_addr", "no uac_reg registrations yet"); }
    @Param("reg_timer_interval") public void regTimerInterval(int v) { unsupported("reg_timer_interval", "no uac_reg registrations yet"); }
    @Param("reg_retry_interval") public void regRetryInterval(int v) { unsupported("reg_retry_interval", "no uac_reg registrations yet"); }
    @Param("reg_keep_callid") public void regKeepCallid(int v) { unsupported("reg_keep_callid", "no uac_reg registrations yet"); }
    @Param("reg_random_delay") public void regRandomDelay(int v) { unsupported("reg_random_delay", "no uac_reg registrations yet"); }
    @Param("reg_active") public void regActive(int v) { unsupported("reg_active", "no uac_reg registrations yet"); }
    @Param("reg_gc_interval") public void regGcInterval(int v) { unsupported("reg_gc_interval", "no uac_reg registrations yet"); }
    @Param("reg_hash_size") public void regHashSize(int v) { unsupported("reg_hash_size", "no uac_reg registrations yet"); }
    @Param("reg_use_domain") public void regUseDomain(int v) { unsupported("reg_use_domain", "no uac_reg registrations yet"); }
    /** "proto:host:port" of one of our sockets, for uac_req_send without $uac_req(sock). */
    @Param("default_socket") public void defaultSocket(String v) { defaultSocket = v; }
    /** KEMI function for event_route[uac:reply]; the script engine reads it. */
    @Param("event_callback") public void eventCallback(String v) { }

    private static void unsupported(String name, String why) {
        throw new IllegalArgumentException(name + " is not supported (" + why + ")");
    }
}
