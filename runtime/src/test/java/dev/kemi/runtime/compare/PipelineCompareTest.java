package dev.kemi.runtime.compare;

import static org.junit.jupiter.api.Assertions.*;

import dev.kemi.runtime.cli.Main;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The harness driving Kemi Proxy's own pipeline in-process (InlineProxy) on the virtual network and clock. */
class PipelineCompareTest {
    private static final Path NATIVE = Fixtures.CORPUS.resolve("kamailio/native.cfg");

    @Test
    void exampleCfgPassesTheCorpusWithTimersOnTheVirtualClock() throws Exception {
        CompareSession s = new CompareSession(new PipelineProxyFactory(), Explainer.standard());
        ConfigSide nat = ConfigSide.of(NATIVE);
        for (String name : List.of("basic-call", "cancel-ringing", "no-answer-408", "tcp-leg")) {
            ScenarioResult r = s.play(0, nat, Fixtures.corpus(name));
            assertNull(r.failure(), () -> name + "\n" + String.join("\n", r.trace().ladder()));
        }
        ScenarioResult timeout = s.play(0, nat, Fixtures.corpus("no-answer-408"));
        assertTrue(timeout.trace().ladder().contains("[120000ms] proxy -> alice: 408 Request Timeout"), () -> String.join("\n", timeout.trace().ladder()));
        // the proxy's generated ids vary between instances; times and everything else repeat exactly
        ScenarioResult again = s.play(0, nat, Fixtures.corpus("no-answer-408"));
        assertEquals(timeout.trace().ladder(), again.trace().ladder());
        assertNull(TraceComparer.compare(timeout, again));
        ScenarioResult loss = s.play(0, nat, Fixtures.corpus("retransmission-loss"));
        assertEquals("[   500ms] proxy -> bob: INVITE", loss.trace().ladder().get(3), () -> String.join("\n", loss.trace().ladder()));
    }

    @Test
    void sameCfgTwiceIsIdenticalAndTheCommandIsRegistered() throws Exception {
        CompareReport r = new CompareSession(new PipelineProxyFactory(), Explainer.standard())
                .run(List.of(ConfigSide.of(NATIVE), ConfigSide.of(NATIVE)), List.of(Fixtures.corpus("in-dialog"), Fixtures.corpus("busy")));
        assertEquals(CompareReport.IDENTICAL, r.exitCode(), () -> TextReport.render(r));
        assertTrue(new CommandLine(new Main()).getSubcommands().containsKey("compare"));
    }

    /**
     * Same output twice, in every format: two runs of a divergent pair on Kemi Proxy itself (whose
     * generated branches and tags differ from instance to instance) give byte-identical reports.
     */
    @Test
    void sameReportTwiceInEveryFormat(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String cfg = java.nio.file.Files.readString(NATIVE);
        String divergent = cfg.replace("if (!t_relay())", "append_hf(\"X-Divergent: yes\\r\\n\"); if (!t_relay())");
        assertNotEquals(cfg, divergent);
        Path b = java.nio.file.Files.writeString(dir.resolve("divergent.cfg"), divergent);
        List<Scenario> scenarios = List.of(Fixtures.corpus("basic-call"), Fixtures.corpus("cancel-ringing"), Fixtures.corpus("busy"));
        CompareReport first = new CompareSession(new PipelineProxyFactory(), Explainer.standard()).run(List.of(ConfigSide.of(NATIVE), ConfigSide.of(b)), scenarios);
        CompareReport second = new CompareSession(new PipelineProxyFactory(), Explainer.standard()).run(List.of(ConfigSide.of(NATIVE), ConfigSide.of(b)), scenarios);
        assertEquals(CompareReport.DIFFERENT, first.exitCode(), () -> TextReport.render(first));
        for (ReportFormat f : ReportFormat.values()) assertEquals(f.render(first), f.render(second), f.name());
    }

    /**
     * The seed's bridge mode with its built-in relay: each instance stops the relay when it closes
     * (its control port is fixed), and the relay's ports repeat, so two runs are identical.
     */
    @Test
    void bridgeRelayStopsWithEachInstanceAndItsPortsRepeat() throws Exception {
        ConfigSide bridge = ConfigSide.of(Path.of("../scripts/bridge.cfg"));
        List<Scenario> scenarios = ScenarioLoader.loadDir(Fixtures.CORPUS.resolve("bridge"));
        CompareReport r = new CompareSession(new PipelineProxyFactory(), Explainer.standard()).run(List.of(bridge, bridge), scenarios);
        assertEquals(CompareReport.IDENTICAL, r.exitCode(), () -> TextReport.render(r));
        for (ScenarioComparison sc : r.scenarios()) {
            assertNull(sc.results().get(0).failure(), () -> sc.scenario().name() + "\n" + String.join("\n", sc.results().get(0).trace().ladder()));
        }
        ScenarioResult call = r.scenarios().stream().filter(s -> s.scenario().name().equals("bridge-call")).findFirst().orElseThrow().results().get(1);
        String toPbx = event(call, "proxy -> pbx: INVITE");
        String toPhone = event(call, "proxy -> phone: 200 OK");
        // the offer goes to the PBX with the relay's LAN address, the answer to the phone with the public one; first ports of 10000-20000
        assertTrue(toPbx.contains("c=IN IP4 127.0.0.2\r\n") && toPbx.contains("m=audio 10000 RTP/AVP 0 8 101\r\n"), toPbx);
        assertTrue(toPhone.contains("c=IN IP4 127.0.0.5\r\n") && toPhone.contains("m=audio 10002 RTP/AVP 0\r\n"), toPhone);
    }

    private static String event(ScenarioResult r, String arrow) {
        return r.trace().events().stream().filter(e -> e.arrow().equals(arrow)).findFirst()
                .orElseThrow(() -> new AssertionError(arrow + " not in\n" + String.join("\n", r.trace().ladder()))).text();
    }
}
