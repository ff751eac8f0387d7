package dev.kemi.tests.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kemi.tests.Kamailio;
import dev.kemi.tests.KemiCli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `kemi check` and `kamailio -c` on the same cfgs, each with one call placed in some block: both
 * accept it, or both reject it at the same line and column with the same wording.
 */
class RouteTypeCheckDifferentialTest {
    private static final List<String> MODULES = List.of("tm", "tmx", "sl", "rr", "maxfwd", "textops", "siputils", "sanity",
            "xlog", "kex", "pv", "corex", "rtpproxy");
    private static final Map<String, String> BLOCKS = new LinkedHashMap<>();
    static {
        BLOCKS.put("request", "request_route");
        BLOCKS.put("sub", "route[sub]");
        BLOCKS.put("failure", "failure_route[f]");
        BLOCKS.put("tmreply", "onreply_route[r]");
        BLOCKS.put("corereply", "reply_route");
        BLOCKS.put("branch", "branch_route[b]");
        BLOCKS.put("onsend", "onsend_route");
        BLOCKS.put("bfail", "event_route[tm:branch-failure:bf]");
        BLOCKS.put("event", "event_route[tm:local-request]");
    }

    /** block | call: misplaced calls (and a few well placed ones) over the modules we implement. */
    private static final String CASES = """
            tmreply|sl_send_reply("200", "OK")
            corereply|sl_send_reply("200","OK")
            failure|sl_send_reply("500", "Error")
            failure|send_reply("500", "Error")
            sub|sl_send_reply("404", "Not here")
            tmreply|sl_reply_error()
            tmreply|t_relay()
            branch|t_relay()
            corereply|t_relay()
            tmreply|t_on_branch("b")
            branch|t_on_failure("f")
            request|t_drop_replies()
            sub|t_drop_replies()
            request|t_branch_timeout()
            bfail|t_branch_timeout()
            failure|t_check_trans()
            event|sl_send_reply("200", "OK")
            event|t_drop_replies()
            tmreply|t_newtran()
            failure|t_set_fr(1000)
            tmreply|t_reply("200", "OK")
            branch|t_reply("200", "OK")
            request|t_cancel_branches("all")
            failure|t_precheck_trans()
            tmreply|record_route()
            failure|loose_route()
            branch|remove_record_route()
            corereply|add_rr_param(";a=b")
            failure|is_direction("downstream")
            tmreply|append_to_reply("X-A: 1\\r\\n")
            tmreply|set_reply_body("x", "text/plain")
            onsend|subst_uri("/a/b/")
            onsend|append_hf("X-A: 1\\r\\n")
            onsend|is_present_hf("Via")
            branch|set_reply_body("x", "text/plain")
            onsend|remove_hf("X-A")
            tmreply|uri_param("transport")
            failure|add_uri_param("a=b")
            failure|options_reply()
            tmreply|is_first_hop()
            branch|is_user("alice")
            tmreply|mf_process_maxfwd_header("10")
            tmreply|is_maxfwd_lt("10")
            failure|sanity_check()
            corereply|sanity_check("1511", "7")
            onsend|xlog("L_INFO", "x\\n")
            tmreply|rtpproxy_offer()
            onsend|forward()
            onsend|sethost("example.com")
            onsend|setflag(1)
            onsend|setbflag(1)
            tmreply|append_branch()
            """;

    private static final Pattern KAMAILIO_ERROR = Pattern.compile("parse error in config file [^,]*, line (\\d+), column (\\d+): ([^\\n]*)");
    private static final Pattern OUR_ERROR = Pattern.compile(":(\\d+):(\\d+): ([^\\n]*)");

    @TempDir
    static Path dir;

    @BeforeAll
    static void kamailio() {
        if (!Kamailio.installed()) {
            assertNotEquals("true", System.getenv("CI"), "kamailio 5.6.3 is required under CI");
            assumeTrue(false, "kamailio 5.6.3 is not installed here");
        }
    }

    private record Verdict(boolean rejected, int line, int column, String message) {
        @Override
        public String toString() {
            return rejected ? "rejected at " + line + ":" + column + " (" + message + ")" : "accepted";
        }
    }

    @Test
    void bothCheckersAcceptAndRejectTheSameCallsAtTheSamePlace() throws Exception {
        List<String> disagreements = new ArrayList<>();
        int rejected = 0;
        int n = 0;
        for (String c : CASES.strip().split("\n")) {
            String[] p = c.split("\\|", 2);
            Path cfg = Files.writeString(dir.resolve("case" + n++ + ".cfg"), cfg(p[0], p[1]));
            Verdict real = kamailio(cfg);
            Verdict ours = ours(cfg);
            if (real.rejected()) rejected++;
            boolean same = real.rejected() == ours.rejected()
                    && (!real.rejected() || real.line() == ours.line() && real.column() == ours.column()
                    && ours.message().toLowerCase().startsWith(real.message().strip().toLowerCase()));
            if (!same) disagreements.add(p[1] + " in " + BLOCKS.get(p[0]) + ": kamailio " + real + ", kemi " + ours);
        }
        assertTrue(disagreements.isEmpty(), String.join("\n", disagreements));
        assertTrue(rejected >= 25, "only " + rejected + " cases are rejected by Kamailio: the set lost its point");
    }

    /** All blocks, each with an empty statement, the call in {@code block}. */
    private static String cfg(String block, String call) {
        StringBuilder b = new StringBuilder("listen=udp:127.0.12.1:5060\n");
        b.append("loadpath \"").append(Kamailio.MODULES).append("/\"\n");
        for (String m : MODULES) b.append("loadmodule \"").append(m).append(".so\"\n");
        b.append("modparam(\"rtpproxy\", \"rtpproxy_sock\", \"udp:127.0.12.1:22222\")\n");
        for (Map.Entry<String, String> e : BLOCKS.entrySet()) {
            b.append(e.getValue()).append(" {\n");
            if (e.getKey().equals("request")) {
                b.append("    route(sub);\n    t_on_reply(\"r\");\n    t_on_failure(\"f\");\n    t_on_branch(\"b\");\n")
                        .append("    t_on_branch_failure(\"bf\");\n    t_relay();\n");
            }
            b.append("    ").append(e.getKey().equals(block) ? call : "").append(";\n}\n");
        }
        return b.toString();
    }

    private static Verdict kamailio(Path cfg) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Kamailio.BINARY.toString(), "-c", "-f", cfg.toString(), "-L", Kamailio.MODULES.toString(),
                "-Y", dir.toString(), "-w", dir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "kamailio -c did not finish");
        Matcher m = KAMAILIO_ERROR.matcher(out);
        if (!m.find()) {
            assertTrue(out.toLowerCase().contains("config file ok"), "kamailio -c neither accepted nor reported a position:\n" + out);
            return new Verdict(false, 0, 0, "");
        }
        return new Verdict(true, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), m.group(3));
    }

    private static Verdict ours(Path cfg) {
        KemiCli.Result r = KemiCli.run("check", "-f", cfg.toString());
        if (r.exitCode() == 0) return new Verdict(false, 0, 0, "");
        Matcher m = OUR_ERROR.matcher(r.err().substring(r.err().indexOf(cfg.toString()) + cfg.toString().length()));
        assertTrue(r.err().startsWith(cfg.toString()) && m.lookingAt(), "no file:line:col in: " + r.err());
        return new Verdict(true, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), m.group(3));
    }
}
