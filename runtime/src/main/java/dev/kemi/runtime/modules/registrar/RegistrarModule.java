package dev.kemi.runtime.modules.registrar;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.api.Param;
import dev.kemi.api.Pv;
import dev.kemi.api.PvExports;
import dev.kemi.api.PvSpec;
import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.core.RuntimeModule;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.modules.pv.AvpStore;
import dev.kemi.runtime.modules.usrloc.DbMode;
import dev.kemi.runtime.modules.usrloc.UContact;
import dev.kemi.runtime.modules.usrloc.UDomain;
import dev.kemi.runtime.modules.usrloc.UsrlocApi;
import dev.kemi.runtime.modules.usrloc.UsrlocException;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/** The registrar (Kamailio's registrar module): save(), lookup() and friends over usrloc. */
@Module(value = "registrar", loadName = "registrar")
public final class RegistrarModule implements RuntimeModule, PvExports {
    private static final int REQ_FAIL = RouteType.REQUEST | RouteType.FAILURE;
    private static final int SAVE_ROUTES = REQ_FAIL | RouteType.ONREPLY;

    final RegConfig cfg = new RegConfig();
    final Random random = new Random();
    final UlcProfiles profiles = new UlcProfiles();
    private final Lookup lookups = new Lookup(this);
    UsrlocApi ul;
    LongAdder accepted = new LongAdder();
    LongAdder rejected = new LongAdder();

    // ---- modparams
    @Param("default_expires") public void defaultExpires(int v) { cfg.defaultExpires = v; }
    @Param("default_expires_range") public void defaultExpiresRange(int v) { cfg.defaultExpiresRange = percent(v); }
    @Param("expires_range") public void expiresRange(int v) { cfg.expiresRange = percent(v); }
    @Param("min_expires") public void minExpires(int v) { cfg.minExpires = v; }
    @Param("max_expires") public void maxExpires(int v) { cfg.maxExpires = v; }
    @Param("max_contacts") public void maxContacts(int v) { cfg.maxContacts = v; }
    @Param("retry_after") public void retryAfter(int v) { cfg.retryAfter = v; }
    @Param("case_sensitive") public void caseSensitive(int v) { cfg.caseSensitive = v != 0; }
    @Param("default_q") public void defaultQ(int v) { cfg.defaultQ = v == -1 ? UContact.Q_UNSPECIFIED : Math.max(0, Math.min(1000, v)); }
    @Param("append_branches") public void appendBranches(int v) { cfg.appendBranches = v != 0; }
    @Param("use_expired_contacts") public void useExpiredContacts(int v) { cfg.useExpiredContacts = v != 0; }
    @Param("realm_prefix") public void realmPrefix(String v) { cfg.realmPrefix = v; }
    @Param("received_param") public void receivedParam(String v) { cfg.receivedParam = v; }
    @Param("method_filtering") public void methodFiltering(int v) { cfg.methodFiltering = v != 0; }
    @Param("use_path") public void usePath(int v) { cfg.usePath = v != 0; }
    @Param("path_mode") public void pathMode(int v) {
        if (v < 0 || v > 2) throw new IllegalArgumentException("path_mode must be 0, 1 or 2");
        cfg.pathMode = v;
    }
    @Param("path_use_received") public void pathUseReceived(int v) { cfg.pathUseReceived = v != 0; }
    @Param("path_check_local") public void pathCheckLocal(int v) { cfg.pathCheckLocal = v != 0; }
    @Param("gruu_enabled") public void gruuEnabled(int v) { cfg.gruuEnabled = v != 0; }
    @Param("contact_max_size") public void contactMaxSize(int v) { cfg.contactMaxSize = v; }
    @Param("min_expires_mode") public void minExpiresMode(int v) { cfg.minExpiresMode = v != 0; }

    @Param("outbound_mode") public void outboundMode(int v) {
        if (v < 0 || v > 2) throw new IllegalArgumentException("outbound_mode modparam must be 0 (not supported), 1 (supported), or 2 (supported and required)");
        cfg.outboundMode = v;
    }

    @Param("regid_mode") public void regidMode(int v) {
        if (v < 0 || v > 1) throw new IllegalArgumentException("regid_mode modparam must be 0 (use with outbound), 1 (use always)");
        cfg.regidMode = v;
    }

    @Param("flow_timer") public void flowTimer(int v) { cfg.flowTimer = v; }

    @Param("received_avp")
    public void receivedAvp(String v) {
        PvSpec s = PvSpec.parse(v.strip());
        if (!"avp".equals(s.name()) || s.param() == null) throw new IllegalArgumentException("received_avp must be an AVP: " + v);
        cfg.receivedAvp = s.param();
    }

    private static int percent(int v) {
        if (v < 0 || v > 100) throw new IllegalArgumentException("a range is a percentage 0..100");
        return v;
    }

    @Override
    public void init(ProxyServices services) {
        if (cfg.flowTimer < 0 || cfg.flowTimer > 999 || (cfg.flowTimer > 0 && cfg.outboundMode == 0)) {
            throw new IllegalArgumentException("registrar: bad value for flow_timer");
        }
        ul = services.api(UsrlocApi.class, "registrar", "usrloc");
        var st = services.statistics();
        accepted = st.counter("registrar", "accepted_regs");
        rejected = st.counter("registrar", "rejected_regs");
        st.gauge("registrar", "max_expires", () -> cfg.maxExpires);
        st.gauge("registrar", "max_contacts", () -> cfg.maxContacts);
        st.gauge("registrar", "default_expire", () -> cfg.defaultExpires);
        st.gauge("registrar", "default_expires_range", () -> cfg.defaultExpiresRange);
        st.gauge("registrar", "expires_range", () -> cfg.expiresRange);
    }

    // ---- $ulc
    @Override
    public Set<String> pvNames() {
        return Set.of("ulc");
    }

    @Override
    public Pv resolvePv(PvSpec spec) {
        return profiles.resolve(spec);
    }

    // ---- helpers
    /** Native: the table is registered on first use (Kamailio's fixup). */
    private UDomain nativeDomain(String table) {
        try {
            return ul.registerDomain(table);
        } catch (UsrlocException e) {
            ScriptLog.log(ScriptLog.ERR, "registrar: cannot load location table " + table + ": " + e.getMessage());
            return null;
        }
    }

    /** KEMI: only a table usrloc already has (preload), as ul.get_udomain. */
    private UDomain kemiDomain(String table) {
        UDomain d = ul.findDomain(table);
        if (d == null) ScriptLog.log(ScriptLog.ERR, "registrar: usrloc domain [" + table + "] not found");
        return d;
    }

    Object avp(MessageContext ctx, String name) {
        return AvpStore.of(ctx).get(name, 0);
    }

    Integer qOverride(MessageContext ctx) {
        return ctx.attachment(QOverride.class) == null ? null : ctx.attachment(QOverride.class).q;
    }

    private record QOverride(int q) {}

    private int save(MessageContext ctx, UDomain d, int flags, String uri) {
        if (d == null) return -1;
        return new Save(this, ctx, flags, new RegReply(cfg)).run(d, uri);
    }

    private static Integer flags(String s) {
        String t = s.strip();
        try {
            int v = t.startsWith("0x") || t.startsWith("0X") ? Integer.parseUnsignedInt(t.substring(2), 16) : Integer.parseUnsignedInt(t);
            return v >= 0 && v <= Save.ALL_FLAGS ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private int checkedFlags(String s) {
        Integer f = flags(s);
        if (f == null) {
            ScriptLog.log(ScriptLog.ERR, "registrar: bad flags <" + s + ">");
            return -1;
        }
        if ((f & Save.MEM_ONLY) != 0 && ul.dbMode() == DbMode.DB_ONLY) {
            ScriptLog.log(ScriptLog.ERR, "registrar: MEM flag set while using the DB_ONLY mode in USRLOC");
            return -1;
        }
        return f;
    }

    // ---- save
    @Export(value = "save_native", natives = "save", nativeOnly = true, routes = SAVE_ROUTES, returns = {1, 2, 3, 4, -1, -2})
    public int saveNative(MessageContext ctx, String table) {
        return save(ctx, nativeDomain(table), 0, null);
    }

    @Export(value = "save_native", natives = "save", nativeOnly = true, routes = SAVE_ROUTES, returns = {1, 2, 3, 4, -1, -2})
    public int saveNative(MessageContext ctx, String table, String flags) {
        int f = checkedFlags(flags);
        return f < 0 ? -1 : save(ctx, nativeDomain(table), f, null);
    }

    @Export(value = "save_native", natives = "save", nativeOnly = true, routes = SAVE_ROUTES, returns = {1, 2, 3, 4, -1, -2})
    public int saveNative(MessageContext ctx, String table, String flags, String uri) {
        int f = checkedFlags(flags);
        if (f < 0 || uri.isEmpty()) return -1;
        return save(ctx, nativeDomain(table), f, uri);
    }

    @Export(kemiOnly = true, routes = SAVE_ROUTES, returns = {1, 2, 3, 4, -1, -2})
    public int save(MessageContext ctx, String table, int flags) {
        return save(ctx, kemiDomain(table), flags, null);
    }

    @Export(kemiOnly = true, routes = SAVE_ROUTES, returns = {1, 2, 3, 4, -1, -2})
    public int save_uri(MessageContext ctx, String table, int flags, String uri) {
        if (uri.isEmpty()) return -1;
        return save(ctx, kemiDomain(table), flags, uri);
    }

    // ---- lookup
    private int lookup(MessageContext ctx, UDomain d, String uri, boolean toDset) {
        if (d == null) return -1;
        if (uri != null && uri.isEmpty()) return -1;
        return lookups.lookup(ctx, d, uri, toDset);
    }

    @Export(value = "lookup_native", natives = "lookup", nativeOnly = true, routes = REQ_FAIL, returns = {1, -1, -2, -3})
    public int lookupNative(MessageContext ctx, String table) {
        return lookup(ctx, nativeDomain(table), null, false);
    }

    @Export(value = "lookup_native", natives = "lookup", nativeOnly = true, routes = REQ_FAIL, returns = {1, -1, -2, -3})
    public int lookupNative(MessageContext ctx, String table, String uri) {
        return lookup(ctx, nativeDomain(table), uri, false);
    }

    @Export(kemiOnly = true, routes = REQ_FAIL, returns = {1, -1, -2, -3})
    public int lookup(MessageContext ctx, String table) {
        return lookup(ctx, kemiDomain(table), null, false);
    }

    @Export(kemiOnly = true, routes = REQ_FAIL, returns = {1, -1, -2, -3})
    public int lookup_uri(MessageContext ctx, String table, String uri) {
        return lookup(ctx, kemiDomain(table), uri, false);
    }

    @Export(value = "lookup_to_dset_native", natives = "lookup_to_dset", nativeOnly = true, routes = REQ_FAIL, returns = {1, -1, -2, -3})
    public int lookupToDsetNative(MessageContext ctx, String table) {
        return lookup(ctx, nativeDomain(table), null, true);
    }

    @Export(value = "lookup_to_dset_native", natives = "lookup_to_dset", nativeOnly = true, routes = REQ_FAIL, returns = {1, -1, -2, -3})
    public int lookupToDsetNative(MessageContext ctx, String table, String uri) {
        return lookup(ctx, nativeDomain(table), uri, true);
    }

    @Export(kemiOnly = true, routes = REQ_FAIL, returns = {1, -1, -2, -3})
    public int lookup_to_dset(MessageContext ctx, String table, String uri) {
        return lookup(ctx, kemiDomain(table), uri.isEmpty() ? null : uri, true);
    }

    @Export(value = "lookup_branches_native", natives = "lookup_branches", nativeOnly = true, routes = REQ_FAIL, returns = {1, -1, -2, -3})
    public int lookupBranchesNative(MessageContext ctx, String table) {
        UDomain d = nativeDomain(table);
        return d == null ? -1 : lookups.lookupBranches(ctx, d);
    }

    @Export(kemiOnly = true, routes = REQ_FAIL, returns = {1, -1, -2, -3})
    public int lookup_branches(MessageContext ctx, String table) {
        UDomain d = kemiDomain(table);
        return d == null ? -1 : lookups.lookupBranches(ctx, d);
    }

    // ---- registered
    private int registered(UDomain d, MessageContext ctx, String uri) {
        if (d == null) return -1;
        return lookups.registered(ctx, d, uri == null || uri.isEmpty() ? null : uri);
    }

    @Export(value = "registered_native", natives = "registered", nativeOnly = true, returns = {1, -1})
    public int registeredNative(MessageContext ctx, String table) {
        return registered(nativeDomain(table), ctx, null);
    }

    @Export(value = "registered_native", natives = "registered", nativeOnly = true, returns = {1, -1})
    public int registeredNative(MessageContext ctx, String table, String uri) {
        return registered(nativeDomain(table), ctx, uri);
    }

    @Export(kemiOnly = true, returns = {1, -1})
    public int registered(MessageContext ctx, String table) {
        return registered(kemiDomain(table), ctx, null);
    }

    @Export(kemiOnly = true, returns = {1, -1})
    public int registered_uri(MessageContext ctx, String table, String uri) {
        return registered(kemiDomain(table), ctx, uri);
    }

    /*
     * registered() with match and action flags: the matches read xavp_cfg, which this registrar
     * does not take (the modparam is refused), and there are no contact xavps to clone, so the
     * flags change nothing, as on Kamailio without xavp_cfg.
     */
    @Export(value = "registered_native", natives = "registered", nativeOnly = true, returns = {1, -1})
    public int registeredNative(MessageContext ctx, String table, String uri, int flags) {
        return registered(nativeDomain(table), ctx, uri);
    }

    @Export(value = "registered_native", natives = "registered", nativeOnly = true, returns = {1, -1})
    public int registeredNative(MessageContext ctx, String table, String uri, int flags, int actionFlags) {
        return registered(nativeDomain(table), ctx, uri);
    }

    @Export(kemiOnly = true, returns = {1, -1})
    public int registered_flags(MessageContext ctx, String table, String uri, int flags) {
        return registered(kemiDomain(table), ctx, uri);
    }

    @Export(kemiOnly = true, returns = {1, -1})
    public int registered_action(MessageContext ctx, String table, String uri, int flags, int actionFlags) {
        return registered(kemiDomain(table), ctx, uri);
    }

    // ---- unregister
    private int unregister(MessageContext ctx, UDomain d, String uri, String ruid) {
        if (d == null) return -1;
        if (ruid == null || ruid.isEmpty()) {
            String aor;
            try {
                aor = Aor.of(uri, ul.useDomain(), cfg);
            } catch (RegError.Failure e) {
                return -1;
            }
            try {
                d.locked(aor, r -> {
                    r.deleteAll();
                    return null;
                });
                return 1;
            } catch (UsrlocException e) {
                return -2;
            }
        }
        try {
            Integer r = d.lockedByRuid(ruid, rec -> {
                for (UContact c : List.copyOf(rec.contacts())) {
                    if (c.ruid().equals(ruid)) {
                        rec.delete(c);
                        return 1;
                    }
                }
                return null;
            });
            return r == null ? -3 : 1;
        } catch (UsrlocException e) {
            return -2;
        }
    }

    @Export(value = "unregister_native", natives = "unregister", nativeOnly = true, returns = {1, -1, -2, -3})
    public int unregisterNative(MessageContext ctx, String table, String uri) {
        return unregister(ctx, nativeDomain(table), uri, null);
    }

    @Export(value = "unregister_native", natives = "unregister", nativeOnly = true, returns = {1, -1, -2, -3})
    public int unregisterNative(MessageContext ctx, String table, String uri, String ruid) {
        return unregister(ctx, nativeDomain(table), uri, ruid);
    }

    @Export(kemiOnly = true, returns = {1, -1, -2, -3})
    public int unregister(MessageContext ctx, String table, String uri) {
        return unregister(ctx, kemiDomain(table), uri, null);
    }

    @Export(kemiOnly = true, returns = {1, -1, -2, -3})
    public int unregister_ruid(MessageContext ctx, String table, String uri, String ruid) {
        return unregister(ctx, kemiDomain(table), uri, ruid);
    }

    // ---- reg_fetch_contacts / reg_free_contacts
    private int fetch(MessageContext ctx, UDomain d, String uri, String profile) {
        if (d == null) return -1;
        String aor;
        try {
            aor = Aor.of(uri, ul.useDomain(), cfg);
        } catch (RegError.Failure e) {
            return -1;
        }
        try {
            return d.locked(aor, r -> {
                profiles.put(profile, aor, r.contacts());
                return r.contacts().isEmpty() ? -1 : 1;
            });
        } catch (UsrlocException e) {
            return -1;
        }
    }

    @Export(value = "reg_fetch_contacts_native", natives = "reg_fetch_contacts", nativeOnly = true, routes = REQ_FAIL, returns = {1, -1})
    public int regFetchContactsNative(MessageContext ctx, String table, String uri, String profile) {
        return fetch(ctx, nativeDomain(table), uri, profile);
    }

    @Export(kemiOnly = true, routes = REQ_FAIL, returns = {1, -1})
    public int reg_fetch_contacts(MessageContext ctx, String table, String uri, String profile) {
        return fetch(ctx, kemiDomain(table), uri, profile);
    }

    @Export(routes = REQ_FAIL, returns = {1, -1})
    public int reg_free_contacts(MessageContext ctx, String profile) {
        return profiles.free(profile) ? 1 : -1;
    }

    @Export(routes = REQ_FAIL, returns = {1, -1})
    public int reg_send_reply(MessageContext ctx) {
        RegReply.Pending p = ctx.attachment(RegReply.Pending.class);
        if (p == null) return -1;
        return p.reply().send(ctx, p.path());
    }

    @Export(kemiOnly = true, returns = {1, -1})
    public int set_q_override(MessageContext ctx, String q) {
        int v = QValue.parse(q);
        if (v < 0) return -1;
        ctx.attach(QOverride.class, new QOverride(v));
        return 1;
    }
}
