package dev.kemi.runtime.compare;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness against the fake proxy on the virtual network and clock. */
class CompareHarnessTest {
    @TempDir Path dir;

    @Test
    void basicCallLadder() throws Exception {
        ScenarioResult r = Fixtures.play(Fixtures.cfg(dir, "a.cfg"), Fixtures.corpus("basic-call"));
        assertNull(r.failure());
        assertEquals(List.of(
                "[     0ms] alice -> proxy: INVITE",
                "[     0ms] proxy -> alice: 100 Trying",
                "[     0ms] proxy -> bob: INVITE",
                "[     0ms] bob -> proxy: 180 Ringing",
                "[     0ms] proxy -> alice: 180 Ringing",
                "[   200ms] bob -> proxy: 200 OK",
                "[   200ms] proxy -> alice: 200 OK",
                "[   200ms] alice -> proxy: ACK",
                "[   200ms] proxy -> bob: ACK",
                "[  1200ms] alice -> proxy: BYE",
                "[  1200ms] proxy -> bob: BYE",
                "[  1200ms] bob -> proxy: 200 OK",
                "[  1200ms] proxy -> alice: 200 OK"), r.trace().ladder());
        // the in-dialog ACK was loose-routed: the Route set learnt from Record-Route, R-URI = bob's Contact
        TraceEvent ack = r.trace().events().get(7);
        assertTrue(ack.text().startsWith("ACK sip:bob@127.0.0.1:5072 SIP/2.0\r\n"), ack.text());
        assertTrue(ack.text().contains("\r\nRoute: <sip:127.0.0.1:5060;lr>\r\n"), ack.text());
        assertTrue(ack.text().contains("To: <sip:bob@127.0.0.1:5072>;tag=bob-tag-1\r\n"), ack.text());
        assertTrue(ack.text().contains("CSeq: 1 ACK\r\n"), ack.text());
        assertTrue(r.trace().events().get(9).text().contains("CSeq: 2 BYE\r\n"));
        TraceEvent toBob = r.trace().events().get(2);
        assertEquals("udp 127.0.0.1:5072", toBob.target());
        assertEquals("udp:127.0.0.1:5060", toBob.socket());
    }

    @Test
    void sameScenarioTwiceGivesTheSameTrace() throws Exception {
        Path cfg = Fixtures.cfg(dir, "a.cfg");
        for (Scenario sc : ScenarioLoader.loadDir(Fixtures.CORPUS)) {
            assertEquals(Fixtures.play(cfg, sc).trace().events(), Fixtures.play(cfg, sc).trace().events(), sc.name());
        }
    }

    @Test
    void lossForcesATimerRetransmissionAndTimersRunOnTheVirtualClock() throws Exception {
        ScenarioResult r = Fixtures.play(Fixtures.cfg(dir, "a.cfg"), Fixtures.corpus("retransmission-loss"));
        assertNull(r.failure(), () -> String.join("\n", r.trace().ladder()));
        List<String> l = r.trace().ladder();
        assertEquals("[     0ms] proxy -> bob: INVITE (lost)", l.get(2));
        assertEquals("[   500ms] proxy -> bob: INVITE", l.get(3));
        assertEquals(TraceEvent.Kind.LOST, r.trace().events().get(2).kind());
        // alice's own retransmission is absorbed: the proxy repeats the last provisional and forwards nothing
        assertEquals("[  1000ms] alice -> proxy: INVITE", l.get(6));
        assertEquals("[  1000ms] proxy -> alice: 180 Ringing", l.get(7));

        ScenarioResult t = Fixtures.play(Fixtures.cfg(dir, "b.cfg", "fr=30000"), Fixtures.corpus("no-answer-408"));
        assertNull(t.failure());
        assertTrue(t.trace().ladder().contains("[ 30000ms] proxy -> alice: 408 Request Timeout"), () -> String.join("\n", t.trace().ladder()));
        assertTrue(t.trace().ladder().contains("[ 30000ms] proxy -> bob: CANCEL"));
    }

    @Test
    void generatedIdsAreNormalisedAway() throws Exception {
        Path a = Fixtures.cfg(dir, "a.cfg", "seed=1");
        Path b = Fixtures.cfg(dir, "b.cfg", "seed=2");
        Scenario sc = Fixtures.corpus("cancel-ringing");
        // the raw messages do differ (branches, the 200-to-CANCEL To-tag, Server)
        assertNotEquals(Fixtures.play(a, sc).trace().sentByProxy(), Fixtures.play(b, sc).trace().sentByProxy());
        // the fake proxy has no failure_route: failover cannot run to its end there
        CompareReport r = Fixtures.compare(List.of(a, b), ScenarioLoader.loadDir(Fixtures.CORPUS).stream()
                .filter(s -> !s.name().equals("failover")).toList());
        assertEquals(CompareReport.IDENTICAL, r.exitCode(), () -> TextReport.render(r));
    }

    @Test
    void normalisationKeepsStructure() {
        Trace t = new Trace();
        t.add(new TraceEvent(TraceEvent.Kind.TO_PROXY, 0, "alice", "proxy", "", "", "INVITE sip:b SIP/2.0\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK-ua\r\nCall-ID: c1\r\n\r\n"));
        t.add(new TraceEvent(TraceEvent.Kind.FROM_PROXY, 0, "proxy", "bob", "", "", "INVITE sip:b SIP/2.0\r\nVia: SIP/2.0/UDP p;branch=z9hG4bKx1\r\n"
                + "Via: SIP/2.0/UDP a;branch=z9hG4bK-ua\r\nCall-ID: c1\r\nServer: K 5.6\r\nDate: Sat, 28 Nov 2026\r\nContent-Length: 4\r\n\r\nbody"));
        t.add(new TraceEvent(TraceEvent.Kind.FROM_PROXY, 0, "proxy", "bob", "", "", "CANCEL sip:b SIP/2.0\r\nVia: SIP/2.0/UDP p;branch=z9hG4bKx1\r\n"
                + "Call-ID: gen-9\r\nCSeq: 77 OPTIONS\r\nTo: <sip:b>;tag=abc\r\nContent-Length: 9\r\n\r\n"));
        List<String> n = Normalizer.normalize(t);
        assertEquals(t.events().get(0).text(), n.get(0), "UA values stay");
        assertEquals("INVITE sip:b SIP/2.0\r\nVia: SIP/2.0/UDP p;branch=<branch-1>\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK-ua\r\nCall-ID: c1\r\n"
                + "Server: <product>\r\nDate: <date>\r\nContent-Length: 4\r\n\r\nbody", n.get(1));
        assertEquals("CANCEL sip:b SIP/2.0\r\nVia: SIP/2.0/UDP p;branch=<branch-1>\r\nCall-ID: <callid-1>\r\nCSeq: <cseq> OPTIONS\r\n"
                + "To: <sip:b>;tag=<tag-1>\r\nContent-Length: 9 (body has 0 bytes)\r\n\r\n", n.get(2));
    }

    @Test
    void firstDivergenceWithTheDifferingLines() throws Exception {
        Path a = Fixtures.cfg(dir, "a.cfg");
        Path b = Fixtures.cfg(dir, "b.cfg", "variant=bye-header", "seed=5");
        CompareReport r = Fixtures.compare(List.of(a, b), List.of(Fixtures.corpus("basic-call"), Fixtures.corpus("busy")));
        assertEquals(CompareReport.DIFFERENT, r.exitCode());
        ScenarioComparison call = r.scenarios().get(0);
        assertFalse(call.identical());
        assertTrue(r.scenarios().get(1).identical(), "busy has no BYE");
        Divergence d = call.comparisons().get(0).divergence();
        assertEquals(5, d.index(), "100, INVITE, 180, 200, ACK, then the BYE (0-based)");
        assertEquals("proxy -> bob: BYE", ReportFormat.arrowAt(call.results().get(0), d.eventA()));
        assertEquals("proxy -> bob: BYE", ReportFormat.arrowAt(call.results().get(1), d.eventB()));
        assertEquals(List.of(new LineDiff.Line(LineDiff.Op.ADD, "X-Divergent: yes")), d.changed());
        assertEquals("# to bob (udp 127.0.0.1:5072) from udp:127.0.0.1:5060 at 1200 ms", d.diff().get(0).text());
    }

    @Test
    void sentNothingFurtherIsADivergence() throws Exception {
        Path a = Fixtures.cfg(dir, "a.cfg");
        Path b = Fixtures.cfg(dir, "b.cfg", "variant=extra-ack");
        CompareReport r = Fixtures.compare(List.of(a, b), List.of(Fixtures.corpus("busy")));
        Divergence d = r.scenarios().get(0).comparisons().get(0).divergence();
        assertEquals(-1, d.eventA());
        assertEquals("proxy -> bob: ACK", ReportFormat.arrowAt(r.scenarios().get(0).results().get(1), d.eventB()));
        assertTrue(d.diff().stream().allMatch(l -> l.op() == LineDiff.Op.ADD));
    }

    @Test
    void exitCodes() throws Exception {
        Path a = Fixtures.cfg(dir, "a.cfg");
        List<Scenario> one = List.of(Fixtures.corpus("basic-call"));
        assertEquals(0, Fixtures.compare(List.of(a, Fixtures.cfg(dir, "b.cfg", "seed=3")), one).exitCode());
        assertEquals(1, Fixtures.compare(List.of(a, Fixtures.cfg(dir, "c.cfg", "variant=no-100")), one).exitCode());
        ProxyFactory broken = (cfg, net, timers) -> {
            throw new IllegalStateException(cfg.getFileName() + ":3: unknown module 'foo'");
        };
        CompareReport err = new CompareSession(broken, Explainer.standard()).run(List.of(ConfigSide.of(a), ConfigSide.of(a)), one);
        assertEquals(2, err.exitCode());
        assertEquals(List.of("a.cfg: a.cfg:3: unknown module 'foo'", "a.cfg: a.cfg:3: unknown module 'foo'"), err.scenarios().get(0).errors());
    }

    @Test
    void proxyFailuresAndVoidSendsAreRecorded() throws Exception {
        Scenario sc = ScenarioLoader.parse("""
                uas:
                  alice: {addr: "127.0.0.1:5071"}
                steps:
                  - send: alice
                    msg: |
                      MESSAGE sip:nobody@127.0.0.9:5999 SIP/2.0
                      Via: SIP/2.0/UDP ${local_addr};branch=${branch}
                      Max-Forwards: 70
                      From: <sip:alice@${ua.alice.addr}>;tag=${tag}
                      To: <sip:nobody@127.0.0.9>
                      Call-ID: ${callid}
                      CSeq: ${cseq} MESSAGE
                  - {expect: alice, match: 200, timeout: 100}
                """, "void.yaml", "void");
        ScenarioResult r = Fixtures.play(Fixtures.cfg(dir, "a.cfg"), sc);
        assertEquals("proxy -> void: MESSAGE (to udp 127.0.0.9:5999, nobody there)", r.trace().events().get(1).arrow());
        assertEquals("step 2: alice expected 200, got nothing within 100 ms", r.failure());
        assertEquals(TraceEvent.Kind.NOTE, r.trace().events().get(2).kind());
    }
}
