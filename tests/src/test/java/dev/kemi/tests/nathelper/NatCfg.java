package dev.kemi.tests.nathelper;

/**
 * One routing logic using nathelper, the same text for Kamailio 5.6.3 and for us: REGISTER of a
 * NATed phone saved with its received address and ping flags, MESSAGE answered with the
 * nat_uac_test bits, other requests rewritten as their X-Op header says and relayed to X-Next.
 */
final class NatCfg {
    private NatCfg() {}

    private static final int[] BITS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};

    /** The JavaScript flavour of the routing (KSR.nathelper.*), for app_jsdt. */
    static final String JS = """
            function ksr_request_route() {
                var op = KSR.hdr.get("X-Op");
                if (KSR.is_method("REGISTER")) {
                    if (op == "fix") {
                        KSR.nathelper.fix_nated_contact();
                        KSR.registrar.save("location", 0);
                        return;
                    }
                    if (KSR.nathelper.nat_uac_test(19) > 0) {
                        KSR.setbflag(6);
                        if (KSR.hdr.get("X-Ping") != "udp") KSR.setbflag(7);
                        KSR.nathelper.fix_nated_register();
                    }
                    KSR.registrar.save("location", 0);
                    return;
                }
                if (KSR.is_method("MESSAGE")) {
                    var s = "";
                    var bits = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];
                    for (var i = 0; i < bits.length; i++) s += KSR.nathelper.nat_uac_test(bits[i]) > 0 ? "1" : "0";
                    KSR.sl.sl_send_reply(200, "nat " + s);
                    return;
                }
                if (KSR.is_method("ACK")) return;
                if (op == "pv") {
                    if (KSR.nathelper.set_alias_to_pv("$avp(alias)") > 0) KSR.sl.sl_send_reply(200, "alias " + KSR.pv.get("$avp(alias)"));
                    else KSR.sl.sl_send_reply(200, "alias none");
                    return;
                }
                if (op == "ruri") {
                    if (KSR.nathelper.handle_ruri_alias() < 0) {
                        KSR.sl.sl_send_reply(500, "no alias");
                        return;
                    }
                    KSR.tm.t_relay();
                    return;
                }
                if (op == "rpl") KSR.tm.t_on_reply("ksr_onreply_natrpl");
                if (op == "fix") KSR.nathelper.fix_nated_contact();
                if (op == "set") KSR.nathelper.set_contact_alias();
                if (op == "add") KSR.nathelper.add_contact_alias();
                if (op == "sdp") KSR.nathelper.fix_nated_sdp(11);
                if (op == "rcv") KSR.nathelper.add_rcv_param(0);
                KSR.setdsturi(KSR.hdr.get("X-Next"));
                KSR.tm.t_relay();
            }

            function ksr_onreply_natrpl() {
                KSR.nathelper.set_contact_alias();
            }
            """;

    static String cfg(String ip, boolean js) {
        StringBuilder b = new StringBuilder("#!KAMAILIO\nchildren=2\nauto_aliases=no\nlisten=udp:").append(ip).append(":5060\n");
        for (String m : new String[] {"sl", "tm", "pv", "kex", "textops", "xlog", "usrloc", "registrar", "nathelper"}) {
            b.append("loadmodule \"").append(m).append(".so\"\n");
        }
        if (js) b.append("loadmodule \"app_jsdt.so\"\n");
        b.append("""
                modparam("usrloc", "nat_bflag", 6)
                modparam("usrloc", "preload", "location")
                modparam("registrar", "gruu_enabled", 0)
                modparam("nathelper", "natping_interval", 1)
                modparam("nathelper", "ping_nated_only", 1)
                modparam("nathelper", "sipping_bflag", 7)
                modparam("nathelper", "sipping_from", "sip:pinger@kemi.test")
                modparam("nathelper|registrar", "received_avp", "$avp(RECEIVED)")
                """);
        if (js) return b.append("modparam(\"app_jsdt\", \"load\", \"{dir}/nat.js\")\ncfgengine \"jsdt\"\n").toString();
        b.append("""
                request_route {
                    if (is_method("REGISTER")) {
                        if ($hdr(X-Op) == "fix") {
                            fix_nated_contact();
                            save("location");
                            exit;
                        }
                        if (nat_uac_test("19")) {
                            setbflag(6);
                            if ($hdr(X-Ping) != "udp") setbflag(7);
                            fix_nated_register();
                        }
                        save("location");
                        exit;
                    }
                    if (is_method("MESSAGE")) {
                        $var(s) = "";
                """);
        for (int bit : BITS) {
            b.append("        if (nat_uac_test(\"").append(bit).append("\")) { $var(s) = $var(s) + \"1\"; } else { $var(s) = $var(s) + \"0\"; }\n");
        }
        b.append("""
                        sl_send_reply("200", "nat $var(s)");
                        exit;
                    }
                    if (is_method("ACK")) { exit; }
                    if ($hdr(X-Op) == "pv") {
                        if (set_alias_to_pv("$avp(alias)")) { sl_send_reply("200", "alias $avp(alias)"); } else { sl_send_reply("200", "alias none"); }
                        exit;
                    }
                    if ($hdr(X-Op) == "ruri") {
                        if (!handle_ruri_alias()) { sl_send_reply("500", "no alias"); exit; }
                        t_relay();
                        exit;
                    }
                    if ($hdr(X-Op) == "rpl") { t_on_reply("NATRPL"); }
                    if ($hdr(X-Op) == "fix") { fix_nated_contact(); }
                    if ($hdr(X-Op) == "set") { set_contact_alias(); }
                    if ($hdr(X-Op) == "add") { add_contact_alias(); }
                    if ($hdr(X-Op) == "sdp") { fix_nated_sdp("11"); }
                    if ($hdr(X-Op) == "rcv") { add_rcv_param(); }
                    $du = $hdr(X-Next);
                    t_relay();
                }

                onreply_route[NATRPL] {
                    set_contact_alias();
                }
                """);
        return b.toString();
    }
}
