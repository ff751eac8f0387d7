package dev.kemi.engine.cfg;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.api.ModuleCatalog;
import dev.kemi.api.Param;
import dev.kemi.api.Pv;
import dev.kemi.api.PvProvider;
import dev.kemi.api.PvSpec;
import dev.kemi.api.RouteType;
import dev.kemi.api.ScriptContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** Test doubles: a context recording calls, a map-backed PV provider, fake modules and catalog. */
final class Fakes {
    private Fakes() {}

    static class Ctx implements ScriptContext {
        final List<String> calls = new ArrayList<>();
        final Map<String, Object> pvs = new HashMap<>();
        int routeType = RouteType.REQUEST;
        boolean dropped;
        Set<String> myself = Set.of("sip:me@127.0.0.1", "127.0.0.1");

        public int routeType() { return routeType; }
        public void setDrop() { dropped = true; }
        public boolean isDropped() { return dropped; }
        public boolean isMyself(String v, boolean nativePort) { return myself.contains(v); }
    }

    /** $var is per provider (per process in Kamailio); other names live in the context. */
    static final class Pvs implements PvProvider {
        static final Set<String> KNOWN = Set.of("var", "avp", "ru", "rU", "rm", "fu", "tu", "si", "sp", "Ri", "Rp",
                "pr", "rs", "ml", "du", "hdr", "af", "ci", "snd", "T_branch_idx", "shv");
        final Map<String, Object> vars = new HashMap<>();

        public Pv resolve(PvSpec spec) {
            if (!KNOWN.contains(spec.name())) throw new IllegalArgumentException("unknown pseudo-variable $" + spec.name());
            String key = spec.toString();
            if (spec.name().equals("var")) {
                return new Pv() {
                    public Object get(ScriptContext c) { return vars.getOrDefault(key, 0); }
                    public void set(ScriptContext c, Object v) { vars.put(key, v == null ? 0 : v); }
                    public boolean writable() { return true; }
                };
            }
            boolean ro = spec.name().equals("hdr") || spec.name().equals("rm");
            return new Pv() {
                public Object get(ScriptContext c) { return ((Ctx) c).pvs.get(key); }
                public void set(ScriptContext c, Object v) {
                    if (ro) throw new UnsupportedOperationException("read-only");
                    if (v == null) ((Ctx) c).pvs.remove(key); else ((Ctx) c).pvs.put(key, v);
                }
                public boolean writable() { return !ro; }
            };
        }
    }

    /** A module whose functions record their calls; f(code) returns its argument. */
    @Module(value = "tst", loadName = "tst")
    public static final class Tst {
        int pInt;
        String pStr;

        @Param("p_int") public void pInt(int v) { pInt = v; }
        @Param("p_str") public void pStr(String v) { pStr = v; }

        @Export(value = "f") public int f(Ctx c, int code) { c.calls.add("f(" + code + ")"); return code; }
        @Export(value = "rec") public int rec(Ctx c, String s) { c.calls.add(s); return 1; }
        @Export(value = "rec2", natives = "rec") public int rec2(Ctx c, String a, String b) { c.calls.add(a + "|" + b); return 1; }
        @Export(value = "ok") public boolean ok(Ctx c) { c.calls.add("ok"); return true; }
        @Export(value = "ko") public boolean ko(Ctx c) { c.calls.add("ko"); return false; }
        @Export(value = "nothing") public void nothing(Ctx c) { c.calls.add("nothing"); }
        @Export(value = "req_only", routes = RouteType.REQUEST) public int reqOnly(Ctx c) { return 1; }
        @Export(value = "fail_only", routes = RouteType.FAILURE) public int failOnly(Ctx c) { return 1; }
    }

    /** Names a tm-like module uses, so route-name checks can be tested. */
    @Module(value = "tm", loadName = "tm")
    public static final class Tm {
        @Export(value = "t_on_failure") public int onFailure(Ctx c, String r) { c.calls.add("t_on_failure:" + r); return 1; }
        @Export(value = "t_on_branch") public int onBranch(Ctx c, String r) { return 1; }
        @Export(value = "t_on_reply") public int onReply(Ctx c, String r) { return 1; }
        @Export(value = "t_on_branch_failure") public int onBranchFailure(Ctx c, String r) { return 1; }
        @Export(value = "t_relay") public int relay(Ctx c) { c.calls.add("t_relay"); return 1; }
        @Export(value = "t_relay_to_proxy", natives = "t_relay", nativeOnly = true)
        public int relayTo(Ctx c, String host, String port) { c.calls.add("t_relay:" + host + ":" + port); return 1; }
        @Param("fr_timer") public void fr(int v) {}
    }

    @Module(value = "textops", loadName = "textops")
    public static final class Textops {
        @Export(value = "has_body") public int hasBody(Ctx c, String type) { c.calls.add("has_body:" + type); return 1; }
    }

    @Module(value = "rtpproxy", loadName = "rtpproxy")
    public static final class Rtpproxy {
        final List<String> socks = new ArrayList<>();
        @Param("rtpproxy_sock") public void sock(String s) { socks.add(s); }
        @Export(value = "rtpproxy_manage") public int manage(Ctx c, String flags) { c.calls.add("rtpproxy_manage:" + flags); return 1; }
    }

    /** Modules present without loadmodule, like core. */
    @Module(value = "")
    public static final class Core {
        @Export(value = "xlog", natives = "xlog") public int xlog(Ctx c, String s) { c.calls.add("xlog:" + s); return 1; }
        @Export(value = "force_send_socket") public int forceSendSocket(Ctx c, String sock) { c.calls.add("fss:" + sock); return 1; }
        @Export(value = "sl_send_reply") public int slSendReply(Ctx c, @dev.kemi.api.IntFallback(500) int code, @dev.kemi.api.LeadingPv String reason) {
            c.calls.add("sl_send_reply:" + code + " " + reason); return 1;
        }
    }

    static final class Catalog implements ModuleCatalog {
        final Map<String, Supplier<Object>> mods = new HashMap<>();
        final List<Object> created = new ArrayList<>();

        Catalog() {
            mods.put("tst", Tst::new);
            mods.put("tm", Tm::new);
            mods.put("textops", Textops::new);
            mods.put("rtpproxy", Rtpproxy::new);
            mods.put("app_jsdt", dev.kemi.engine.polyglot.AppJsdtModule::new);
            for (String n : List.of("tmx", "rr", "pv", "xlog", "sl")) mods.put(n, Empty::new);
        }

        public Optional<Object> create(String name) {
            Supplier<Object> s = mods.get(name);
            if (s == null) return Optional.empty();
            Object o = s.get();
            created.add(o);
            return Optional.of(o);
        }

        public List<Object> builtins() {
            return List.of(new Core());
        }
    }

    @Module(value = "empty_mod")
    public static final class Empty {}
}
