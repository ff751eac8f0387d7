package dev.kemi.tests.permissions;

import java.util.Map;

/**
 * The same permissions logic as native cfg, Python and JavaScript: every check's result (and the
 * newest peer tag) goes into the reply's reason; 200 when the source is in group 1, else 403.
 * The native flavour also runs what KEMI does not export (allow_trusted with arguments,
 * allow_routing, allow_register, allow_uri).
 */
enum PermScripts {
    NATIVE, PYTHON, JS;

    private static final String NATIVE_ROUTE = """
            request_route {
                if (is_method("REGISTER")) {
                    if (allow_register("register")) {
                        sl_send_reply("200", "registration allowed");
                        exit;
                    }
                    sl_send_reply("403", "registration denied");
                    exit;
                }
                allow_source_address_group(); $var(g) = $rc;
                allow_address_group("$si", "$sp"); $var(ag) = $rc;
                allow_address("2", "$si", "$sp"); $var(ad) = $rc;
                allow_address("3", "example.com", "5060"); $var(dom) = $rc;
                allow_trusted(); $var(t) = $rc;
                allow_trusted("$si", "tcp"); $var(t2) = $rc;
                allow_trusted("$si", "any", "sip:carol@trusted.test"); $var(t3) = $rc;
                allow_routing("routing"); $var(r) = $rc;
                allow_routing(); $var(r0) = $rc;
                $var(u) = "sip:premium@example.test";
                allow_uri("routing", "$var(u)"); $var(au) = $rc;
                $var(tag) = $avp(tag);
                $var(info) = "g=" + $var(g) + " ag=" + $var(ag) + " ad=" + $var(ad) + " dom=" + $var(dom)
                    + " t=" + $var(t) + " t2=" + $var(t2) + " t3=" + $var(t3) + " r=" + $var(r) + " r0=" + $var(r0)
                    + " au=" + $var(au) + " tag=" + $var(tag);
                if (allow_source_address()) {
                    sl_send_reply("200", "$var(info)");
                    exit;
                }
                sl_send_reply("403", "$var(info)");
            }
            """;

    private static final String PYTHON_SCRIPT = """
            import KSR

            def mod_init():
                return Perm()

            class Perm:
                def child_init(self, rank):
                    return 0

                def ksr_request_route(self, msg):
                    si = KSR.pv.get("$si")
                    sp = KSR.pv.get("$sp")
                    g = KSR.permissions.allow_source_address_group()
                    ag = KSR.permissions.allow_address_group(si, sp)
                    ad = KSR.permissions.allow_address(2, si, sp)
                    dom = KSR.permissions.allow_address(3, "example.com", 5060)
                    t = KSR.permissions.allow_trusted()
                    tag = KSR.pv.get("$avp(tag)")
                    a = KSR.permissions.allow_source_address(1)
                    info = "g=%d ag=%d ad=%d dom=%d t=%d tag=%s" % (g, ag, ad, dom, t, tag)
                    KSR.sl.sl_send_reply(200 if a > 0 else 403, info)
                    return 1
            """;

    private static final String JS_SCRIPT = """
            function ksr_request_route() {
                var si = KSR.pv.get("$si");
                var sp = KSR.pv.get("$sp");
                var g = KSR.permissions.allow_source_address_group();
                var ag = KSR.permissions.allow_address_group(si, sp);
                var ad = KSR.permissions.allow_address(2, si, sp);
                var dom = KSR.permissions.allow_address(3, "example.com", 5060);
                var t = KSR.permissions.allow_trusted();
                var tag = KSR.pv.get("$avp(tag)");
                var a = KSR.permissions.allow_source_address(1);
                var info = "g=" + g + " ag=" + ag + " ad=" + ad + " dom=" + dom + " t=" + t + " tag=" + tag;
                KSR.sl.sl_send_reply(a > 0 ? 200 : 403, info);
            }
            """;

    /** The cfg of a proxy on ip:5060 with its ctl socket at {dir}/ctl.sock and the tables in dbUrl. */
    String cfg(String ip, String dbUrl) {
        return cfg(ip, dbUrl, 1);
    }

    /** As {@link #cfg(String, String)}, with the trusted table cached (db_mode 1) or queried per request (0). */
    String cfg(String ip, String dbUrl, int dbMode) {
        StringBuilder b = new StringBuilder("#!KAMAILIO\nchildren=1\nauto_aliases=no\nlisten=udp:" + ip + ":5060\n");
        for (String m : new String[] {"db_sqlite", "sl", "pv", "textops", "ctl", "permissions"}) {
            b.append("loadmodule \"").append(m).append(".so\"\n");
        }
        b.append("modparam(\"ctl\", \"binrpc\", \"unix:{dir}/ctl.sock\")\n");
        b.append("modparam(\"permissions\", \"db_url\", \"").append(dbUrl).append("\")\n");
        b.append("modparam(\"permissions\", \"db_mode\", ").append(dbMode).append(")\n");
        b.append("modparam(\"permissions\", \"peer_tag_avp\", \"$avp(tag)\")\n");
        b.append("modparam(\"permissions\", \"reload_delta\", 0)\n");
        switch (this) {
            case NATIVE -> b.append(NATIVE_ROUTE);
            case PYTHON -> b.append("loadmodule \"app_python3.so\"\nmodparam(\"app_python3\", \"load\", \"{dir}/perm.py\")\ncfgengine \"python\"\n");
            case JS -> b.append("loadmodule \"app_jsdt.so\"\nmodparam(\"app_jsdt\", \"load\", \"{dir}/perm.js\")\ncfgengine \"jsdt\"\n");
        }
        return b.toString();
    }

    /** Files next to the cfg: the script and the allow/deny rules. */
    Map<String, String> files() {
        Map<String, String> rules = Map.of(
                // allow_routing("routing"): calls to premium only from the trusted domain; 900 numbers never
                "routing.allow", "\"^sip:.*@trusted\\\\.test$\" : \"^sip:premium@\"\n",
                "routing.deny", "# everything else to premium is refused\nALL : \"^sip:premium@\", \"^sip:900\"\n",
                // allow_routing(): the default files
                "permissions.allow", "ALL : \"^sip:open@\"\n",
                "permissions.deny", "ALL EXCEPT \"@trusted\\\\.test$\" : ALL\n",
                // allow_register("register"): contacts only on the 127.0.62.0/24 block, except for the admin
                "register.allow", "\"^sip:admin@\" : ALL\n",
                "register.deny", "ALL : ALL EXCEPT \"^sip:[^@]*@127\\\\.0\\\\.62\\\\.\"\n");
        return switch (this) {
            case NATIVE -> rules;
            case PYTHON -> with(rules, "perm.py", PYTHON_SCRIPT);
            case JS -> with(rules, "perm.js", JS_SCRIPT);
        };
    }

    private static Map<String, String> with(Map<String, String> m, String name, String text) {
        java.util.HashMap<String, String> out = new java.util.HashMap<>(m);
        out.put(name, text);
        return out;
    }
}
