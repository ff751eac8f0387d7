package dev.kemi.tests.registrar;

import dev.kemi.tests.db.TestDatabases;
import java.util.Map;

/**
 * One registrar logic in the three front-ends, the same text for Kamailio and for us: REGISTER
 * is saved (received taken from the source address), other requests are routed by lookup()
 * with tm (404 when not registered).
 */
enum RegScripts {
    NATIVE, PYTHON, JS;

    private static final String NATIVE_ROUTE = """
            request_route {
                if (is_method("REGISTER")) {
                    $avp(RECEIVED) = "sip:" + $si + ":" + $sp;
                    if (!save("location")) {
                        xlog("L_ERR", "save failed\\n");
                    }
                    exit;
                }
                if (is_method("ACK")) {
                    t_relay();
                    exit;
                }
                if (is_method("MESSAGE")) {
                    if (reg_fetch_contacts("location", "$ru", "p")) {
                        $var(j) = 1; # an index given by a variable, as a loop over the contacts has it
                        sl_send_reply("200", "n=$(ulc(p=>count)) a=$(ulc(p=>addr)[$var(j)]) q=$(ulc(p=>q)[0]) aor=$(ulc(p=>aor))");
                        reg_free_contacts("p");
                    } else {
                        sl_send_reply("404", "none");
                    }
                    exit;
                }
                $var(r) = lookup("location");
                if ($var(r) < 0) {
                    sl_send_reply("404", "Not Found");
                    exit;
                }
                t_relay();
                exit;
            }
            """;

    private static final String PYTHON_SCRIPT = """
            import KSR

            def mod_init():
                return kamailio()

            class kamailio:
                def __init__(self):
                    pass

                def child_init(self, rank):
                    return 0

                def ksr_request_route(self, msg):
                    if KSR.is_method("REGISTER"):
                        KSR.pv.sets("$avp(RECEIVED)", "sip:" + KSR.pv.get("$si") + ":" + str(KSR.pv.get("$sp")))
                        KSR.registrar.save("location", 0)
                        return 1
                    if KSR.is_method("ACK"):
                        KSR.tm.t_relay()
                        return 1
                    if KSR.registrar.lookup("location") < 0:
                        KSR.sl.sl_send_reply(404, "Not Found")
                        return 1
                    KSR.tm.t_relay()
                    return 1
            """;

    private static final String JS_SCRIPT = """
            function ksr_request_route() {
                if (KSR.is_method("REGISTER")) {
                    KSR.pv.sets("$avp(RECEIVED)", "sip:" + KSR.pv.get("$si") + ":" + KSR.pv.get("$sp"));
                    KSR.registrar.save("location", 0);
                    return;
                }
                if (KSR.is_method("ACK")) {
                    KSR.tm.t_relay();
                    return;
                }
                if (KSR.registrar.lookup("location") < 0) {
                    KSR.sl.sl_send_reply(404, "Not Found");
                    return;
                }
                KSR.tm.t_relay();
            }
            """;

    /**
     * The cfg for a proxy on {@code ip}:5060. {@code dbUrl} null means db_mode 0; {@code extra}
     * holds more modparam lines. Script files are named in {@link #files()}, next to the cfg.
     */
    String cfg(String ip, String dbUrl, int dbMode, String extra) {
        StringBuilder b = new StringBuilder("#!KAMAILIO\n");
        b.append("children=2\nauto_aliases=no\nlisten=udp:").append(ip).append(":5060\n");
        if (dbUrl != null) b.append("loadmodule \"").append(TestDatabases.driverModule(dbUrl)).append("\"\n");
        for (String m : new String[] {"sl", "tm", "pv", "textops", "xlog", "usrloc", "registrar"}) {
            b.append("loadmodule \"").append(m).append(".so\"\n");
        }
        b.append("modparam(\"usrloc\", \"preload\", \"location\")\n");
        b.append("modparam(\"usrloc\", \"use_domain\", 1)\n");
        if (dbUrl != null) {
            b.append("modparam(\"usrloc\", \"db_url\", \"").append(dbUrl).append("\")\n");
            b.append("modparam(\"usrloc\", \"db_mode\", ").append(dbMode).append(")\n");
        }
        b.append("modparam(\"registrar\", \"received_avp\", \"$avp(RECEIVED)\")\n");
        b.append("modparam(\"registrar\", \"max_expires\", 3600)\n");
        b.append("modparam(\"registrar\", \"gruu_enabled\", 0)\n");
        b.append(extra);
        switch (this) {
            case NATIVE -> b.append(NATIVE_ROUTE);
            case PYTHON -> b.append("loadmodule \"app_python3.so\"\nmodparam(\"app_python3\", \"load\", \"{dir}/reg.py\")\n")
                    .append("cfgengine \"python\"\n");
            case JS -> b.append("loadmodule \"app_jsdt.so\"\nmodparam(\"app_jsdt\", \"load\", \"{dir}/reg.js\")\n")
                    .append("cfgengine \"jsdt\"\n");
        }
        return b.toString();
    }

    /** Script files the cfg loads (name to text), written next to it. */
    Map<String, String> files() {
        return switch (this) {
            case NATIVE -> Map.of();
            case PYTHON -> Map.of("reg.py", PYTHON_SCRIPT);
            case JS -> Map.of("reg.js", JS_SCRIPT);
        };
    }
}
