package dev.kemi.engine.cfg;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LanguageTest {
    @TempDir Path dir;
    CfgTesting cfg;

    @BeforeEach
    void setUp() {
        cfg = new CfgTesting(dir);
    }

    static Stream<Arguments> expressions() {
        return Stream.of(
                // arithmetic and precedence
                Arguments.of("1 + 2 * 3", 7), Arguments.of("(1 + 2) * 3", 9), Arguments.of("7 / 2", 3),
                Arguments.of("7 mod 3", 1), Arguments.of("7 - 10", -3), Arguments.of("-(2 + 3)", -5),
                Arguments.of("10 - 2 - 3", 5), Arguments.of("7 / 0", null), Arguments.of("7 mod 0", null),
                // bitwise
                Arguments.of("6 | 1", 7), Arguments.of("6 & 3", 2), Arguments.of("6 ^ 3", 5), Arguments.of("~0", -1),
                Arguments.of("1 << 4", 16), Arguments.of("256 >> 4", 16),
                // Kamailio's precedence: bitwise and shifts bind looser than comparisons
                Arguments.of("1 == 1 | 2", 3), Arguments.of("1 << 1 == 2", 1), Arguments.of("1 + 2 == 3", 1),
                Arguments.of("2 * 3 > 5", 1), Arguments.of("1 || 0 && 0", 1), Arguments.of("!0 + 1", 2),
                Arguments.of("3 > 2 == 1", 1),
                // strings: + concatenates when the left value is a string
                Arguments.of("\"a\" + \"b\"", "ab"), Arguments.of("\"a\" + 1", "a1"), Arguments.of("$var(n5) + \"7\"", 12),
                Arguments.of("$var(n5) + \"abc\"", 5), Arguments.of("$var(abc) + 1", "abc1"),
                // comparisons: right converted to the left's type
                Arguments.of("1 == 1", 1), Arguments.of("\"10\" == 10", 1), Arguments.of("$var(n5) == \"5\"", 1),
                Arguments.of("$var(n5) == \"abc\"", 0), Arguments.of("$var(zero) == \"abc\"", 1), Arguments.of("\"abc\" == \"ABC\"", 0),
                Arguments.of("$var(abc) == 0", 0), Arguments.of("\"abc\" == 0", 0),
                Arguments.of("\"abc\" != \"abd\"", 1), Arguments.of("3 > 2", 1), Arguments.of("3 >= 3", 1),
                Arguments.of("2 < 1", 0), Arguments.of("2 <= 1", 0), Arguments.of("$var(s12) > 9", 1),
                // typed comparisons
                Arguments.of("\"abc\" eq \"abc\"", 1), Arguments.of("$var(n5) eq \"5\"", 1), Arguments.of("$var(s12) ieq 12", 1),
                Arguments.of("\"abc\" eq 0", 0),
                Arguments.of("\"a\" ne \"b\"", 1), Arguments.of("1 ine 1", 0),
                // regex: POSIX ERE, case-insensitive, search anywhere
                Arguments.of("\"SIP:Alice@X\" =~ \"^sip:alice\"", 1), Arguments.of("\"123\" =~ \"^[[:digit:]]+$\"", 1),
                Arguments.of("\"12a\" =~ \"^[[:digit:]]+$\"", 0), Arguments.of("\"xxabcxx\" =~ \"b(c|d)\"", 1),
                Arguments.of("!(\"abc\" =~ \"z\")", 1),
                // logic
                Arguments.of("1 && 0", 0), Arguments.of("1 || 0", 1), Arguments.of("!0", 1), Arguments.of("!5", 0),
                Arguments.of("-1 && 1", 1), Arguments.of("1 and not 0", 1), Arguments.of("0 or 0", 0),
                Arguments.of("010 + 0x10", 24),
                // casts and string functions
                Arguments.of("(int)\"12\" + 1", 13), Arguments.of("(str)12 + 1", "121"), Arguments.of("(int)\"abc\"", 0),
                Arguments.of("strlen(\"abcd\")", 4), Arguments.of("strlen($var(n5) + 1234)", 4), Arguments.of("strempty(\"\")", 1),
                Arguments.of("strempty($avp(none))", 1), Arguments.of("strempty(\"x\")", 0),
                // undefined values: int(undef)=0, str(undef)=""
                Arguments.of("defined $avp(none)", 0), Arguments.of("defined $var(x)", 1),
                Arguments.of("$avp(none) == $null", 1), Arguments.of("$avp(none) != $null", 0),
                Arguments.of("$avp(none) + 1", 1), Arguments.of("\"x\" + $avp(none)", "x"),
                Arguments.of("$avp(none) == 0", 1), Arguments.of("$avp(none) == \"\"", 1),
                // Kamailio's optimizer makes $v == "" a strempty($v): an int 0 is not "", nor != "" (int compare)
                Arguments.of("$var(unset) == \"\"", 0), Arguments.of("$var(zero) != \"\"", 0),
                Arguments.of("\"\" == $var(zero)", 0), Arguments.of("$var(abc) == \"\"", 0),
                // a call as the whole right side gives its code; inside an expression a boolean
                Arguments.of("f(-5)", -5), Arguments.of("f(7)", 7), Arguments.of("(f(7))", 7), Arguments.of("ok() + ko()", 1),
                Arguments.of("f(3) + $rc", 4), Arguments.of("f(-3) + 0", 0));
    }

    @Test
    void intParameterTakesAPseudoVariableOnlyWhenItsValueIsAnInt() {
        cfg.pvs.vars.put("$var(n5)", 5);
        cfg.pvs.vars.put("$var(s12)", "12");
        Fakes.Ctx ctx = cfg.request("""
                request_route {
                  f("$var(n5)");
                  $var(r) = f("$var(s12)");
                  xlog("rc=$var(r)");
                  f($var(s12));
                  sl_send_reply("$var(s12)", "fallback");
                  sl_send_reply("$var(n5)", "int");
                }
                """);
        // a string value fails the call (-1) unless the function has a fallback (sl: 500)
        assertEquals(List.of("f(5)", "xlog:rc=-1", "f(12)", "sl_send_reply:500 fallback", "sl_send_reply:5 int"), ctx.calls);
    }

    @Test
    void leadingPvParameterIsThatPseudoVariableAlone() {
        cfg.pvs.vars.put("$var(abc)", "abc");
        Fakes.Ctx ctx = cfg.request("""
                request_route {
                  sl_send_reply("404", "$var(abc) is ignored after the pv");
                  sl_send_reply("404", "x $var(abc) y");
                  rec("$var(abc) formats elsewhere");
                }
                """);
        assertEquals(List.of("sl_send_reply:404 abc", "sl_send_reply:404 x abc y", "abc formats elsewhere"), ctx.calls);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("expressions")
    void expression(String expr, Object expected) {
        cfg.pvs.vars.put("$var(n5)", 5);
        cfg.pvs.vars.put("$var(zero)", 0);
        cfg.pvs.vars.put("$var(abc)", "abc");
        cfg.pvs.vars.put("$var(s12)", "12");
        cfg.pvs.vars.remove("$var(r)");
        assertEquals(expected, cfg.eval(expr, new Fakes.Ctx()));
    }

    static Stream<Arguments> keywords() {
        return Stream.of(
                Arguments.of("method == \"invite\"", 1), Arguments.of("method != \"INVITE\"", 0),
                Arguments.of("method =~ \"^INV\"", 1), Arguments.of("uri == myself", 1), Arguments.of("uri != myself", 0),
                Arguments.of("from_uri == myself", 0), Arguments.of("src_ip == myself", 1),
                Arguments.of("src_ip == 127.0.0.0/8", 1), Arguments.of("src_ip == 127.0.0.1", 1),
                Arguments.of("src_ip == 10.0.0.1", 0), Arguments.of("src_ip != 10.0.0.0/255.0.0.0", 1),
                Arguments.of("src_ip == \"127.0.0.1\"", 1), Arguments.of("proto == UDP", 1), Arguments.of("proto == tcp", 0),
                Arguments.of("af == INET", 1), Arguments.of("af == INET6", 0), Arguments.of("msg:len > 100", 1),
                Arguments.of("status == \"200\"", 1), Arguments.of("src_port == 5060", 1), Arguments.of("dst_port", 5080),
                Arguments.of("$ru == myself", 1), Arguments.of("$rm + \"\"", "INVITE"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("keywords")
    void keyword(String expr, Object expected) {
        Fakes.Ctx ctx = new Fakes.Ctx();
        ctx.pvs.put("$rm", "INVITE");
        ctx.pvs.put("$ru", "sip:me@127.0.0.1");
        ctx.pvs.put("$fu", "sip:alice@example.com");
        ctx.pvs.put("$si", "127.0.0.1");
        ctx.pvs.put("$sp", 5060);
        ctx.pvs.put("$Rp", 5080);
        ctx.pvs.put("$pr", "udp");
        ctx.pvs.put("$af", "4");
        ctx.pvs.put("$ml", 200);
        ctx.pvs.put("$rs", 200);
        assertEquals(expected, cfg.eval(expr, ctx));
    }

    @Test
    void zeroReturnStopsTheScriptEvenInsideIf() {
        Fakes.Ctx ctx = cfg.request("""
                request_route {
                  if (f(0)) { rec("then"); } else { rec("else"); }
                  rec("after");
                }
                """);
        assertEquals(List.of("f(0)"), ctx.calls);
        assertFalse(ctx.dropped);
        assertEquals(List.of("f(0)"), cfg.request("request_route { if (!f(0)) { rec(\"then\"); } rec(\"after\"); }").calls);
        assertEquals(List.of("f(0)"), cfg.request("request_route { f(0); rec(\"after\"); }").calls);
        assertEquals(List.of("f(0)"), cfg.request("route[R] { f(0); rec(\"in\"); } request_route { route(R); rec(\"after\"); }").calls);
        assertEquals(List.of("f(-1)", "else", "after"), cfg.request(
                "request_route { if (f(-1)) { rec(\"then\"); } else { rec(\"else\"); } rec(\"after\"); }").calls);
    }

    @Test
    void returnCodes() {
        Fakes.Ctx ctx = cfg.request("""
                route[A] { rec("a"); }
                route[B] { return; }
                route[C] { f(-2); }
                route[D] { if (1) { return -7; } rec("not here"); }
                route[E] { return $var(x) + 4; }
                request_route {
                  f(-3); xlog("rc=$rc");
                  f(5); xlog("$retcode $?");
                  route(A); xlog("A=$rc");
                  route(B); xlog("B=$rc");
                  route(C); xlog("C=$rc");
                  route(D); xlog("D=$rc");
                  $var(x) = 1;
                  route(E); xlog("E=$rc");
                  if (route(D)) { rec("true"); } else { rec("false"); }
                  xlog("end");
                }
                """);
        assertEquals(List.of("f(-3)", "xlog:rc=-3", "f(5)", "xlog:5 5", "a", "xlog:A=1", "xlog:B=1", "f(-2)",
                "xlog:C=-2", "xlog:D=-7", "xlog:E=5", "false", "xlog:end"), ctx.calls);
    }

    @Test
    void coreReplyRouteDropsOnZeroOrNegativeResult() {
        String[][] cases = {
            {"onreply_route { f(1); }", "false"}, {"onreply_route { exit; }", "false"},
            {"onreply_route { if (f(-1)) { f(2); } }", "false"}, {"onreply_route { }", "false"},
            {"onreply_route { f(-1); }", "true"}, {"onreply_route { drop; }", "true"},
            {"onreply_route { return 0; }", "true"}, {"route[Z] { return 0; }\nonreply_route { route(Z); }", "true"},
            {"onreply_route { f(0); }", "true"}, {"onreply_route { $var(x) = 1; return -2; }", "true"}};
        for (String[] c : cases) {
            Fakes.Ctx ctx = new Fakes.Ctx();
            cfg.load(c[0]).script().onReply(ctx);
            assertEquals(Boolean.parseBoolean(c[1]), ctx.dropped, c[0]);
        }
    }

    @Test
    void ksrRouteRunsANativeSubRoute() {
        LoadedConfig c = cfg.load("route[A] { rec(\"a\"); return 3; }\nroute[X] { exit; }\nroute[Z] { f(0); }\n");
        NativeScript n = c.nativeScript();
        Fakes.Ctx ctx = new Fakes.Ctx();
        assertEquals(3, n.route("A", ctx));
        assertEquals(0, n.route("X", ctx));
        assertEquals(0, n.route("Z", ctx));
        assertEquals(-1, n.route("nope", ctx));
        assertEquals(List.of("a", "f(0)"), ctx.calls);
    }

    @Test
    void aFailingModuleDoesNotEscape() {
        Fakes.Ctx ctx = new Fakes.Ctx() {
            @Override
            public boolean isMyself(String v, boolean n) {
                throw new IllegalStateException("boom");
            }
        };
        LoadedConfig c = cfg.load("request_route { rec(\"a\"); if (uri == myself) { rec(\"b\"); } rec(\"c\"); }");
        ctx.pvs.put("$ru", "sip:x");
        c.script().onRequest(ctx);
        assertEquals(List.of("a"), ctx.calls);
    }

    @Test
    void subRouteReachedFromAnotherBlockTypeIsOnlyAWarningAsInKamailio() {
        LoadedConfig c = cfg.load("route[S] {\n  req_only();\n}\nrequest_route { t_on_failure(\"F\"); }\nfailure_route[F] { route(S); }");
        assertEquals(List.of(c.file() + ":4:3: 'req_only' cannot be used in failure_route[F] (reached through route[S])"),
                c.warnings());
    }

    @Test
    void routeEndingInBreakYieldsZeroWithoutExiting() {
        Fakes.Ctx ctx = cfg.request("""
                route[BRK] { $var(i) = 0; while (1) { $var(i) = $var(i) + 1; if ($var(i) > 2) { break; } } }
                request_route { route(BRK); xlog("i=$var(i) rc=$rc"); }
                """);
        assertEquals(List.of("xlog:i=3 rc=0"), ctx.calls);
    }

    @Test
    void returnZeroIsExitAndReturnInTopRouteEndsIt() {
        assertEquals(List.of("z"), cfg.request("route[Z] { rec(\"z\"); return 0; rec(\"never\"); } request_route { route(Z); rec(\"after\"); }").calls);
        assertEquals(List.of("z"), cfg.request("route[Z] { rec(\"z\"); return 0; } request_route { if (route(Z)) { rec(\"t\"); } else { rec(\"f\"); } rec(\"after\"); }").calls);
        assertEquals(List.of("a"), cfg.request("request_route { rec(\"a\"); return; rec(\"b\"); }").calls);
        assertEquals(List.of("a"), cfg.request("request_route { rec(\"a\"); if (1) { return(1); } rec(\"b\"); }").calls);
        assertEquals(List.of("a"), cfg.request("request_route { rec(\"a\"); exit; rec(\"b\"); }").calls);
    }

    @Test
    void dropVersusExit() {
        Fakes.Ctx d = cfg.request("route[S] { rec(\"s\"); drop; } request_route { route(S); rec(\"after\"); }");
        assertEquals(List.of("s"), d.calls);
        assertTrue(d.dropped);
        Fakes.Ctx e = cfg.request("route[S] { rec(\"s\"); exit; } request_route { route(S); rec(\"after\"); }");
        assertEquals(List.of("s"), e.calls);
        assertFalse(e.dropped);
        assertTrue(cfg.request("request_route { drop(); }").dropped);
    }

    @Test
    void switchFallsThroughUntilBreak() {
        String text = """
                request_route {
                  switch ($var(x)) {
                    case 1: rec("one");
                    case 2: rec("two"); break;
                    case -3: rec("three"); break;
                    default: rec("def");
                  }
                  switch ($rU) {
                    case "alice": rec("A"); break;
                    case "bob": rec("B"); break;
                  }
                  rec("end");
                }
                """;
        LoadedConfig c = cfg.load(text);
        int[] xs = {1, 2, -3, 9};
        List<List<String>> want = List.of(List.of("one", "two", "B", "end"), List.of("two", "B", "end"),
                List.of("three", "B", "end"), List.of("def", "B", "end"));
        for (int i = 0; i < xs.length; i++) {
            cfg.pvs.vars.put("$var(x)", xs[i]);
            Fakes.Ctx ctx = new Fakes.Ctx();
            ctx.pvs.put("$rU", "bob");
            c.script().onRequest(ctx);
            assertEquals(want.get(i), ctx.calls, "x=" + xs[i]);
        }
        assertTrue(assertThrows(dev.kemi.api.ScriptException.class, () -> cfg.load(
                "request_route { switch($var(x)) { case 1: break; case \"a\": break; } }")).getMessage().contains("type mismatch"));
    }

    @Test
    void whileLoopsBreakAndRunawayLimit() {
        cfg.request("request_route { $var(i) = 0; while ($var(i) < 5) { $var(i) = $var(i) + 1; } }");
        assertEquals(5, cfg.pvs.vars.get("$var(i)"));
        cfg.request("request_route { $var(i) = 0; while (1) { $var(i) = $var(i) + 1; if ($var(i) == 3) { break; } } }");
        assertEquals(3, cfg.pvs.vars.get("$var(i)"));
        Fakes.Ctx ctx = cfg.request("request_route { $var(i) = 0; while (1) { $var(i) = $var(i) + 1; } rec(\"after\"); }");
        assertEquals(100, cfg.pvs.vars.get("$var(i)"));
        assertEquals(List.of("after"), ctx.calls);
        cfg.request("max_while_loops=10\nrequest_route { $var(i) = 0; while (1) { $var(i) = $var(i) + 1; } }");
        assertEquals(10, cfg.pvs.vars.get("$var(i)"));
        cfg.request("max_while_loops=yes\nrequest_route { $var(i) = 0; while (1) { $var(i) = $var(i) + 1; } }");
        assertEquals(1, cfg.pvs.vars.get("$var(i)"));
    }

    @Test
    void recursionLimit() {
        Fakes.Ctx ctx = cfg.request("max_recursive_level=10\nroute[R] { $var(n) = $var(n) + 1; route(R); }\n"
                + "request_route { $var(n) = 0; route(R); rec(\"after\"); }");
        assertEquals(9, cfg.pvs.vars.get("$var(n)"));
        assertEquals(List.of("after"), ctx.calls);
    }

    @Test
    void assignments() {
        Fakes.Ctx ctx = new Fakes.Ctx();
        ctx.pvs.put("$avp(a)", "x");
        LoadedConfig c = cfg.load("""
                request_route {
                  $ru = "sip:" + "bob@example.com";
                  $du = $null;
                  $avp(a) = $null;
                  $(avp(b)[*]) = 5;
                  $var(f) = f(4);
                }
                """);
        ctx.pvs.put("$du", "sip:old");
        c.script().onRequest(ctx);
        assertEquals("sip:bob@example.com", ctx.pvs.get("$ru"));
        assertFalse(ctx.pvs.containsKey("$du"));
        assertFalse(ctx.pvs.containsKey("$avp(a)"));
        assertEquals(5, ctx.pvs.get("$(avp(b)[*])"));
        assertEquals(4, cfg.pvs.vars.get("$var(f)"));
    }

    @Test
    void functionParameters() {
        Fakes.Ctx ctx = new Fakes.Ctx();
        ctx.pvs.put("$ru", "sip:a@b");
        LoadedConfig c = cfg.load("""
                #!define CODE 404
                request_route {
                  $var(x) = 7;
                  rec("ru=$ru x=$var(x) n=$avp(none) rc=$rc");
                  rec("^sip:(.*)@.*$");
                  rec($var(x) + 1);
                  rec("a", $ru);
                  f("$var(x)");
                  f("12");
                  f(CODE);
                  sl_send_reply("404", "Not $var(x)");
                  nothing();
                  force_send_socket(udp:127.0.0.1:5060);
                  force_send_socket(tcp:[::1]:5061);
                  force_send_socket("udp:$var(x)");
                  xlog("rc=$rc");
                }
                """);
        c.script().onRequest(ctx);
        assertEquals(List.of("ru=sip:a@b x=7 n=<null> rc=0", "^sip:(.*)@.*$", "8", "a|sip:a@b", "f(7)", "f(12)",
                "f(404)", "sl_send_reply:404 Not 7", "nothing", "fss:udp:127.0.0.1:5060", "fss:tcp:[::1]:5061",
                "fss:udp:7", "xlog:rc=1"), ctx.calls);
    }

    @Test
    void stringLiteralsAsKamailiosLexer() {
        Fakes.Ctx ctx = cfg.request("""
                request_route {
                  rec("a\\.b\\1");
                  rec('raw\\n\\t');
                  rec("x\\x41\\101\\tq\\"\\\\");
                  rec("multi"
                      "line" "s");
                  rec("con\\
                tinued");
                  if ("sip.EXAMPLE.com" =~ "\\.example\\.com$") { rec("m1"); }
                  if ("sipXexampleYcom" =~ "\\.example\\.com$") { rec("m2"); }
                }
                """);
        assertEquals(List.of("a\\.b\\1", "raw\\n\\t", "xAA\tq\"\\", "multilines", "continued", "m1"), ctx.calls);
    }

    @Test
    void otherEntryPoints() {
        LoadedConfig c = cfg.load("""
                request_route { t_on_failure("F"); }
                failure_route[F] { rec("failure"); }
                branch_route[B] { rec("branch"); drop; }
                onreply_route[R] { rec("tm-reply"); }
                onreply_route { rec("reply"); }
                onsend_route { rec("send"); }
                event_route[tm:branch-failure:BF] { rec("bf"); }
                event_route[core:worker-one-init] { rec("init"); }
                route[SUB] { rec("sub"); }
                """);
        var s = c.script();
        Fakes.Ctx ctx = new Fakes.Ctx();
        s.onRequest(ctx);
        s.onNamedRoute(dev.kemi.api.RouteType.FAILURE, "F", ctx);
        s.onNamedRoute(dev.kemi.api.RouteType.BRANCH, "B", ctx);
        assertTrue(ctx.dropped);
        s.onNamedRoute(dev.kemi.api.RouteType.TM_ONREPLY, "R", ctx);
        s.onNamedRoute(dev.kemi.api.RouteType.BRANCH_FAILURE, "BF", ctx);
        s.onNamedRoute(dev.kemi.api.RouteType.REQUEST, "SUB", ctx);
        s.onNamedRoute(dev.kemi.api.RouteType.FAILURE, "nope", ctx);
        s.onReply(ctx);
        s.onSend(ctx);
        s.onEvent("core:worker-one-init", ctx);
        s.onEvent("core:nope", ctx);
        assertEquals(List.of("t_on_failure:F", "failure", "branch", "tm-reply", "bf", "sub", "reply", "send", "init"), ctx.calls);
        assertTrue(s.has(dev.kemi.api.RouteType.BRANCH_FAILURE, "BF"));
        assertTrue(s.has(dev.kemi.api.RouteType.EVENT, "core:worker-one-init"));
        assertFalse(s.has(dev.kemi.api.RouteType.FAILURE, "B"));
        assertTrue(c.warnings().getFirst().contains("route[SUB] is never called"), c.warnings().toString());
    }
}
