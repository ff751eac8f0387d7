package dev.kemi.tests.pv;

/**
 * One logic as native cfg, Python and JavaScript: per X-Case of an OPTIONS, the destination-set
 * branches ($branch, append_branch) or PV indexes given by variables, printed into X-* headers of
 * the 200 (append_to_reply). "marker" ($$ in formats) is native only: KEMI has no formats.
 */
enum PvScripts {
    NATIVE, PYTHON, JS;

    private static final String NATIVE_ROUTE = """
            request_route {
                $var(c) = $hdr(X-Case);
                $var(i) = 1;
                $var(s) = "1";
                if ($var(c) == "branch") {
                    append_to_reply("X-B: none c=[$branch(count)] u=[$branch(uri)]\\r\\n");
                    $du = "sip:127.0.39.9:5999";
                    $fs = "udp:{ip}:5060";
                    setbflag(3);
                    append_branch();
                    append_to_reply("X-B0: du=[$du] fs=[$fs] bf=$bf c=$branch(count) u=$branch(uri) d=$branch(dst_uri) q=[$branch(q)] s=$branch(send_socket) f=$branch(flags) p=[$branch(path)] r=[$branch(ruid)]\\r\\n");
                    $du = "sip:127.0.39.8:5998";
                    append_branch("sip:b2@127.0.39.8", "0.5");
                    append_to_reply("X-B1: du=[$du] u=$(branch(uri)[1]) q=$(branch(q)[1]) d=[$(branch(dst_uri)[1])] f=$(branch(flags)[1]) last=$(branch(uri)[-1]) v=$(branch(uri)[$var(i)]) far=[$(branch(uri)[2])] bad=[$(branch(uri)[$var(s)])]\\r\\n");
                    $(branch(dst_uri)[1]) = "sip:127.0.39.7";
                    $(branch(q)[$var(i)]) = 300;
                    $(branch(flags)[-1]) = 6;
                    $(branch(send_socket)[0]) = $null;
                    append_to_reply("X-B2: d=$(branch(dst_uri)[1]) q=$(branch(q)[1]) f=$(branch(flags)[1]) s0=[$branch(send_socket)]\\r\\n");
                    $(branch(uri)[0]) = $null;
                    append_to_reply("X-B3: c=$branch(count) u=$branch(uri) d=$branch(dst_uri) q=$branch(q)\\r\\n");
                    $branch(uri) = "";
                    append_to_reply("X-B4: c=[$branch(count)]\\r\\n");
                    sl_send_reply("200", "OK");
                    exit;
                }
                if ($var(c) == "index") {
                    $xavp(x=>k) = "a";
                    $xavp(x[0]=>k) = "b";
                    $xavp(x=>k) = "c";
                    $xavp(x[$var(i)]=>k[0]) = "B";
                    $avp(a) = "A0";
                    $avp(a) = 7;
                    $avp(a) = "A2";
                    $(avp(a)[$var(i)]) = "A3";
                    append_to_reply("X-X: [$xavp(x=>k)] [$xavp(x[$var(i)]=>k)] [$xavp(x[1]=>k[$var(i)])] [$xavp(x[$var(i)]=>k[*])] [$xavp(x[$var(s)]=>k)]\\r\\n");
                    append_to_reply("X-A: [$(avp(a)[$var(i)])] [$(avp(a)[*])] [$(avp(a)[$var(s)])] [$(hdr(X-H)[$var(i)])] [$(hdr(X-H)[*])]\\r\\n");
                    sl_send_reply("200", "OK");
                    exit;
                }
                if ($var(c) == "marker") {
                    append_to_reply("X-M: d=$$var(i) e=a$$b f=$$ g=$var(i)$$\\r\\n");
                    sl_send_reply("200", "cost 5$$ for $$ru $rm");
                    exit;
                }
                sl_send_reply("404", "no case");
            }
            """;

    private static final String PYTHON_SCRIPT = """
            import KSR

            def mod_init():
                return Pvs()

            class Pvs:
                def child_init(self, rank):
                    return 0

                def ksr_request_route(self, msg):
                    c = KSR.hdr.get("X-Case")
                    KSR.pv.seti("$var(i)", 1)
                    KSR.pv.sets("$var(s)", "1")
                    g = KSR.pv.getw
                    if c == "branch":
                        KSR.hdr.append_to_reply("X-B: none c=[%s] u=[%s]\\r\\n" % (g("$branch(count)"), g("$branch(uri)")))
                        KSR.pv.sets("$du", "sip:127.0.39.9:5999")
                        KSR.pv.sets("$fs", "udp:{ip}:5060")
                        KSR.setbflag(3)
                        KSR.corex.append_branch()
                        KSR.hdr.append_to_reply("X-B0: du=[%s] fs=[%s] bf=%s c=%s u=%s d=%s q=[%s] s=%s f=%s p=[%s] r=[%s]\\r\\n" % (
                            g("$du"), g("$fs"), g("$bf"), g("$branch(count)"), g("$branch(uri)"), g("$branch(dst_uri)"), g("$branch(q)"),
                            g("$branch(send_socket)"), g("$branch(flags)"), g("$branch(path)"), g("$branch(ruid)")))
                        KSR.pv.sets("$du", "sip:127.0.39.8:5998")
                        KSR.corex.append_branch_uri_q("sip:b2@127.0.39.8", "0.5")
                        KSR.hdr.append_to_reply("X-B1: du=[%s] u=%s q=%s d=[%s] f=%s last=%s v=%s far=[%s]\\r\\n" % (
                            g("$du"), g("$(branch(uri)[1])"), g("$(branch(q)[1])"), g("$(branch(dst_uri)[1])"), g("$(branch(flags)[1])"),
                            g("$(branch(uri)[-1])"), g("$(branch(uri)[$var(i)])"), g("$(branch(uri)[2])")))
                        KSR.pv.sets("$(branch(dst_uri)[1])", "sip:127.0.39.7")
                        KSR.pv.seti("$(branch(q)[$var(i)])", 300)
                        KSR.pv.seti("$(branch(flags)[-1])", 6)
                        KSR.pv.unset("$(branch(send_socket)[0])")
                        KSR.hdr.append_to_reply("X-B2: d=%s q=%s f=%s s0=[%s]\\r\\n" % (
                            g("$(branch(dst_uri)[1])"), g("$(branch(q)[1])"), g("$(branch(flags)[1])"), g("$branch(send_socket)")))
                        KSR.pv.unset("$(branch(uri)[0])")
                        KSR.hdr.append_to_reply("X-B3: c=%s u=%s d=%s q=%s\\r\\n" % (
                            g("$branch(count)"), g("$branch(uri)"), g("$branch(dst_uri)"), g("$branch(q)")))
                        KSR.pv.sets("$branch(uri)", "")
                        KSR.hdr.append_to_reply("X-B4: c=[%s]\\r\\n" % g("$branch(count)"))
                        KSR.sl.sl_send_reply(200, "OK")
                        return 1
                    if c == "index":
                        KSR.pv.sets("$xavp(x=>k)", "a")
                        KSR.pv.sets("$xavp(x[0]=>k)", "b")
                        KSR.pv.sets("$xavp(x=>k)", "c")
                        KSR.pv.sets("$xavp(x[$var(i)]=>k[0])", "B")
                        KSR.pv.sets("$avp(a)", "A0")
                        KSR.pv.seti("$avp(a)", 7)
                        KSR.pv.sets("$avp(a)", "A2")
                        KSR.pv.sets("$(avp(a)[$var(i)])", "A3")
                        KSR.hdr.append_to_reply("X-X: [%s] [%s] [%s] [%s]\\r\\n" % (
                            g("$xavp(x=>k)"), g("$xavp(x[$var(i)]=>k)"), g("$xavp(x[1]=>k[$var(i)])"), g("$xavp(x[$var(i)]=>k[*])")))
                        KSR.hdr.append_to_reply("X-A: [%s] [%s] [%s] [%s]\\r\\n" % (
                            g("$(avp(a)[$var(i)])"), g("$(avp(a)[*])"), g("$(hdr(X-H)[$var(i)])"), g("$(hdr(X-H)[*])")))
                        KSR.sl.sl_send_reply(200, "OK")
                        return 1
                    KSR.sl.sl_send_reply(404, "no case")
                    return 1
            """;

    private static final String JS_SCRIPT = """
            function g(n) { return KSR.pv.getw(n); }
            function ksr_request_route() {
                var c = KSR.hdr.get("X-Case");
                KSR.pv.seti("$var(i)", 1);
                KSR.pv.sets("$var(s)", "1");
                if (c == "branch") {
                    KSR.hdr.append_to_reply("X-B: none c=[" + g("$branch(count)") + "] u=[" + g("$branch(uri)") + "]\\r\\n");
                    KSR.pv.sets("$du", "sip:127.0.39.9:5999");
                    KSR.pv.sets("$fs", "udp:{ip}:5060");
                    KSR.setbflag(3);
                    KSR.corex.append_branch();
                    KSR.hdr.append_to_reply("X-B0: du=[" + g("$du") + "] fs=[" + g("$fs") + "] bf=" + g("$bf") + " c=" + g("$branch(count)")
                        + " u=" + g("$branch(uri)") + " d=" + g("$branch(dst_uri)") + " q=[" + g("$branch(q)") + "] s=" + g("$branch(send_socket)")
                        + " f=" + g("$branch(flags)") + " p=[" + g("$branch(path)") + "] r=[" + g("$branch(ruid)") + "]\\r\\n");
                    KSR.pv.sets("$du", "sip:127.0.39.8:5998");
                    KSR.corex.append_branch_uri_q("sip:b2@127.0.39.8", "0.5");
                    KSR.hdr.append_to_reply("X-B1: du=[" + g("$du") + "] u=" + g("$(branch(uri)[1])") + " q=" + g("$(branch(q)[1])")
                        + " d=[" + g("$(branch(dst_uri)[1])") + "] f=" + g("$(branch(flags)[1])") + " last=" + g("$(branch(uri)[-1])")
                        + " v=" + g("$(branch(uri)[$var(i)])") + " far=[" + g("$(branch(uri)[2])") + "]\\r\\n");
                    KSR.pv.sets("$(branch(dst_uri)[1])", "sip:127.0.39.7");
                    KSR.pv.seti("$(branch(q)[$var(i)])", 300);
                    KSR.pv.seti("$(branch(flags)[-1])", 6);
                    KSR.pv.unset("$(branch(send_socket)[0])");
                    KSR.hdr.append_to_reply("X-B2: d=" + g("$(branch(dst_uri)[1])") + " q=" + g("$(branch(q)[1])") + " f=" + g("$(branch(flags)[1])")
                        + " s0=[" + g("$branch(send_socket)") + "]\\r\\n");
                    KSR.pv.unset("$(branch(uri)[0])");
                    KSR.hdr.append_to_reply("X-B3: c=" + g("$branch(count)") + " u=" + g("$branch(uri)") + " d=" + g("$branch(dst_uri)")
                        + " q=" + g("$branch(q)") + "\\r\\n");
                    KSR.pv.sets("$branch(uri)", "");
                    KSR.hdr.append_to_reply("X-B4: c=[" + g("$branch(count)") + "]\\r\\n");
                    KSR.sl.sl_send_reply(200, "OK");
                    return;
                }
                if (c == "index") {
                    KSR.pv.sets("$xavp(x=>k)", "a");
                    KSR.pv.sets("$xavp(x[0]=>k)", "b");
                    KSR.pv.sets("$xavp(x=>k)", "c");
                    KSR.pv.sets("$xavp(x[$var(i)]=>k[0])", "B");
                    KSR.pv.sets("$avp(a)", "A0");
                    KSR.pv.seti("$avp(a)", 7);
                    KSR.pv.sets("$avp(a)", "A2");
                    KSR.pv.sets("$(avp(a)[$var(i)])", "A3");
                    KSR.hdr.append_to_reply("X-X: [" + g("$xavp(x=>k)") + "] [" + g("$xavp(x[$var(i)]=>k)") + "] [" + g("$xavp(x[1]=>k[$var(i)])")
                        + "] [" + g("$xavp(x[$var(i)]=>k[*])") + "]\\r\\n");
                    KSR.hdr.append_to_reply("X-A: [" + g("$(avp(a)[$var(i)])") + "] [" + g("$(avp(a)[*])") + "] [" + g("$(hdr(X-H)[$var(i)])")
                        + "] [" + g("$(hdr(X-H)[*])") + "]\\r\\n");
                    KSR.sl.sl_send_reply(200, "OK");
                    return;
                }
                KSR.sl.sl_send_reply(404, "no case");
            }
            """;

    /** The cfg of a proxy on ip:5060 whose script (if KEMI) is {dir}/pvs.py or {dir}/pvs.js. */
    String cfg(String ip) {
        StringBuilder b = new StringBuilder("#!KAMAILIO\nchildren=1\nauto_aliases=no\nlisten=udp:" + ip + ":5060\n");
        for (String m : new String[] {"sl", "pv", "textops", "kex", "corex"}) b.append("loadmodule \"").append(m).append(".so\"\n");
        switch (this) {
            case NATIVE -> b.append(NATIVE_ROUTE.replace("{ip}", ip));
            case PYTHON -> b.append("loadmodule \"app_python3.so\"\nmodparam(\"app_python3\", \"load\", \"{dir}/pvs.py\")\n")
                    .append("kemi.onsend_route_callback=\"\"\ncfgengine \"python\"\n");
            case JS -> b.append("loadmodule \"app_jsdt.so\"\nmodparam(\"app_jsdt\", \"load\", \"{dir}/pvs.js\")\ncfgengine \"jsdt\"\n");
        }
        return b.toString();
    }

    /** The script file next to the cfg, none for native. */
    java.util.Map<String, String> files(String ip) {
        return switch (this) {
            case NATIVE -> java.util.Map.of();
            case PYTHON -> java.util.Map.of("pvs.py", PYTHON_SCRIPT.replace("{ip}", ip));
            case JS -> java.util.Map.of("pvs.js", JS_SCRIPT.replace("{ip}", ip));
        };
    }
}
