package dev.kemi.runtime.compare;

import static org.junit.jupiter.api.Assertions.*;

import dev.kemi.engine.lint.KemiLint;
import dev.kemi.engine.lint.LintFinding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplainerTest {
    @TempDir Path dir;

    /** A KEMI cfg for the fake proxy (fake options + cfgengine + the script to load). */
    private Path kemiCfg(String name, String scriptName, String script, String... fakeOptions) throws Exception {
        Files.writeString(dir.resolve(scriptName), script);
        String[] lines = new String[fakeOptions.length + 3];
        System.arraycopy(fakeOptions, 0, lines, 0, fakeOptions.length);
        lines[fakeOptions.length] = "loadmodule \"app_python3.so\"";
        lines[fakeOptions.length + 1] = "modparam(\"app_python3\", \"load\", \"" + scriptName + "\")";
        lines[fakeOptions.length + 2] = "cfgengine \"python\"";
        return Fixtures.cfg(dir, name, lines);
    }

    private static final String ROUTE_PY = """
            import KSR as KSR

            def mod_init():
                return kamailio()

            class kamailio:
                def ksr_request_route(self, msg):
                    if KSR.is_CANCEL():
                        KSR.tm.t_relay()
                        return 1
                    KSR.tm.t_check_trans()
                    KSR.tm.t_relay()
                    return 1
            """;

    private ScenarioComparison.SideComparison only(CompareReport r) {
        return r.scenarios().get(0).comparisons().get(0);
    }

    @Test
    void zeroReturnNamesTheKemiLineWhereNativeWouldHaveExited() throws Exception {
        Path nat = Fixtures.cfg(dir, "native.cfg");
        Path py = kemiCfg("py.cfg", "route.py", ROUTE_PY, "variant=extra-ack");
        CompareReport r = Fixtures.compare(List.of(nat, py), List.of(Fixtures.corpus("busy")));
        List<Explanation> why = only(r).explanations();
        assertTrue(why.contains(new Explanation("zero-return",
                "`t_check_trans()` returned 0 at route.py:11: native cfg exits here, KEMI goes on (after alice's ACK); "
                        + "test the result with == 0 and return")), why::toString);
    }

    @Test
    void zeroReturnUsesTheLintsLinesWhenTheFunctionTableIsKnown() throws Exception {
        Path script = Files.writeString(dir.resolve("r.py"), ROUTE_PY.replace("KSR.tm.t_check_trans()\n", "x = 1\n"
                + "        if KSR.tm.t_check_trans() == 0:\n            return 1\n        KSR.tm.t_check_trans()\n"));
        List<LintFinding> lint = new KemiLint(Fixtures.TABLE, "", "").lint(script);
        CompareReport r = Fixtures.compare(List.of(Fixtures.cfg(dir, "n.cfg"), Fixtures.cfg(dir, "k.cfg", "variant=extra-ack")),
                List.of(Fixtures.corpus("busy")));
        ScenarioComparison sc = r.scenarios().get(0);
        Divergence d = sc.comparisons().get(0).divergence();
        ConfigSide kemi = new ConfigSide("k.cfg", dir.resolve("k.cfg"), ConfigSide.Engine.PYTHON, script, Files.readString(script), "", null);
        ExplainContext ctx = new ExplainContext(sc.scenario(), d, new SideRun(r.sides().get(0), sc.results().get(0), List.of()),
                new SideRun(kemi, sc.results().get(1), lint));
        List<Explanation> why = new ZeroReturnRule().explain(ctx);
        assertEquals(1, why.size(), why::toString);
        assertTrue(why.get(0).message().startsWith("`t_check_trans()` returned 0 at r.py:14:"), why::toString);
    }

    @Test
    void setDropInRequestRoute() throws Exception {
        String script = ROUTE_PY.replace("KSR.tm.t_check_trans()\n", "KSR.set_drop()\n");
        CompareReport r = Fixtures.compare(List.of(Fixtures.cfg(dir, "native.cfg"), kemiCfg("py.cfg", "drop.py", script, "variant=extra-ack")),
                List.of(Fixtures.corpus("busy")));
        assertTrue(only(r).explanations().stream().anyMatch(e -> e.rule().equals("set_drop")
                && e.message().startsWith("`KSR.set_drop()` at drop.py:11 has no effect in request_route")), () -> only(r).explanations().toString());
    }

    @Test
    void intUsedAsBooleanWithAndWithoutTheLint() throws Exception {
        String script = ROUTE_PY.replace("KSR.tm.t_check_trans()\n", "if not KSR.siputils.has_totag():\n            KSR.info('x')\n");
        Path py = kemiCfg("py.cfg", "totag.py", script, "variant=bye-header");
        CompareReport r = Fixtures.compare(List.of(Fixtures.cfg(dir, "native.cfg"), py), List.of(Fixtures.corpus("basic-call")));
        String expected = "`KSR.siputils.has_totag()` returns an int used as a boolean at totag.py:11: -1 is truthy in Python";
        assertTrue(only(r).explanations().stream().anyMatch(e -> e.message().startsWith(expected)), () -> only(r).explanations().toString());

        // the fake proxy has no function table: that was the pattern fallback; now with the lint's finding
        ScenarioComparison sc = r.scenarios().get(0);
        List<LintFinding> lint = new KemiLint(Fixtures.TABLE, "", "").lint(dir.resolve("totag.py"));
        ExplainContext ctx = new ExplainContext(sc.scenario(), sc.comparisons().get(0).divergence(),
                new SideRun(r.sides().get(0), sc.results().get(0), List.of()), new SideRun(r.sides().get(1), sc.results().get(1), lint));
        List<Explanation> why = new IntAsBoolRule().explain(ctx);
        assertEquals(1, why.size(), why::toString);
        assertTrue(why.get(0).message().startsWith(expected), why::toString);
    }

    @Test
    void sanityRemoveHfAndMyselfPort() throws Exception {
        Path nat = Files.writeString(dir.resolve("k.cfg"), """
                listen=udp:127.0.0.1:5080
                request_route {
                    if (!sanity_check("1511", "7")) { exit; }
                    if (remove_hf("X-Secret")) { xlog("removed\\n"); }
                    if (uri==myself) { sl_send_reply("200", "ok"); exit; }
                }
                """);
        Path script = Files.writeString(dir.resolve("k.py"), """
                def ksr_request_route(self, msg):
                    if KSR.sanity.sanity_check(1511, 7) == 0:
                        return 1
                    if KSR.hdr.remove("X-Secret"):
                        KSR.info("removed")
                    if KSR.is_myself_ruri():
                        KSR.sl.sl_send_reply(200, "ok")
                """);
        // the fake on 5080: OPTIONS sip:127.0.0.1 (no port) is not for it, unless it takes a missing port as any port
        Path fake = Files.writeString(dir.resolve("fake.cfg"), "listen=udp:127.0.0.1:5080\n");
        Path fakeB = Files.writeString(dir.resolve("fakeb.cfg"), "listen=udp:127.0.0.1:5080\nvariant=myself-any-port\n");
        CompareReport r = Fixtures.compare(List.of(fake, fakeB), List.of(Fixtures.corpus("options-proxy")));
        ScenarioComparison call = r.scenarios().get(0);
        assertEquals("proxy -> alice: 200 OK", ReportFormat.arrowAt(call.results().get(1), call.comparisons().get(0).divergence().eventB()));
        ConfigSide natSide = new ConfigSide("k.cfg", nat, ConfigSide.Engine.NATIVE, nat, Files.readString(nat), Files.readString(nat), null);
        ConfigSide pySide = new ConfigSide("py.cfg", dir.resolve("py.cfg"), ConfigSide.Engine.PYTHON, script, Files.readString(script), "", null);
        ExplainContext ctx = new ExplainContext(call.scenario(), call.comparisons().get(0).divergence(),
                new SideRun(natSide, call.results().get(0), List.of()), new SideRun(pySide, call.results().get(1), List.of()));

        List<Explanation> myself = new MyselfPortRule().explain(ctx);
        assertEquals(1, myself.size());
        assertTrue(myself.get(0).message().startsWith("`uri==myself` at k.cfg:5 assumes port 5060 when the R-URI has no port, "
                + "`KSR.is_myself_ruri()` at k.py:6 accepts any port"), myself::toString);
        assertEquals(List.of(), new ZeroReturnRule().explain(ctx), "an OPTIONS that is no retransmission is not the 0-return pitfall");

        List<Explanation> remove = new RemoveHfRule().explain(ctx);
        assertEquals(List.of("k.cfg:4", "k.py:4"), remove.stream().map(e -> e.message().replaceAll(".* tested at (\\S+):.*", "$1").replaceAll(":$", "")).toList(),
                remove::toString);

        assertEquals(List.of(), new SanityRule().explain(ctx), "no 400 in this divergence");
        // a 400 sent before the divergence: the KEMI sanity_check line is named
        Trace t = new Trace();
        t.add(new TraceEvent(TraceEvent.Kind.FROM_PROXY, 0, "proxy", "alice", "udp 127.0.0.1:5071", "udp:127.0.0.1:5060", "SIP/2.0 400 Bad CSeq\r\n\r\n"));
        t.add(new TraceEvent(TraceEvent.Kind.FROM_PROXY, 0, "proxy", "bob", "udp 127.0.0.1:5072", "udp:127.0.0.1:5060", "INVITE sip:bob SIP/2.0\r\n\r\n"));
        Trace n = new Trace();
        n.add(t.events().get(0));
        ScenarioResult withBad = new ScenarioResult("m", "py", t, null, true);
        ScenarioResult nativeBad = new ScenarioResult("m", "k", n, null, true);
        Divergence d = TraceComparer.compare(nativeBad, withBad);
        List<Explanation> sanity = new SanityRule().explain(new ExplainContext(call.scenario(), d,
                new SideRun(natSide, nativeBad, List.of()), new SideRun(pySide, withBad, List.of())));
        assertEquals(1, sanity.size());
        assertTrue(sanity.get(0).message().startsWith("`KSR.sanity.sanity_check()` at k.py:2 returns -1"), sanity::toString);
    }

    @Test
    void aBrokenRuleDoesNotHideTheOthers() {
        ExplainRule broken = ctx -> {
            throw new IllegalStateException("boom");
        };
        ExplainRule fine = ctx -> List.of(new Explanation("x", "y"));
        List<Explanation> out = new Explainer(List.of(broken, fine)).explain(null);
        assertEquals(2, out.size());
        assertEquals(new Explanation("x", "y"), out.get(1));
    }
}
