package dev.kemi.runtime.compare;

import static org.junit.jupiter.api.Assertions.*;

import dev.kemi.runtime.transport.Protocol;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScenarioLoaderTest {
    static final String OK = """
            description: demo
            settle: 100
            uas:
              alice: {addr: "127.0.0.1:5071"}
              bob: {addr: "127.0.0.1:5072", transport: tcp, answer: {invite: [180, 200], delay: 50, other: 202, sdp: false}}
            steps:
              - send: alice
                msg: |
                  OPTIONS sip:${proxy.addr} SIP/2.0
              - {expect: alice, match: 2xx, timeout: 900, optional: true}
              - {wait: 10}
              - {lose: bob, count: 2}
            """;

    @Test
    void readsEveryKindOfStep() throws Exception {
        Scenario s = ScenarioLoader.parse(OK, "demo.yaml", "demo");
        assertEquals("demo", s.name());
        assertEquals(100, s.settleMs());
        UaSpec bob = s.ua("bob");
        assertEquals(Protocol.TCP, bob.transport());
        assertEquals(5072, bob.port());
        assertEquals(new AnswerRules(List.of(180, 200), 50, 202, false), bob.answer());
        assertNull(s.ua("alice").answer());
        assertEquals(List.of(
                new Step.Send(1, "alice", "OPTIONS sip:${proxy.addr} SIP/2.0\n"),
                new Step.Expect(2, "alice", "2xx", 900, true),
                new Step.Wait(3, 10),
                new Step.Lose(4, "bob", 2)), s.steps());
    }

    @Test
    void errorsNameFileAndStep() {
        assertError("demo.yaml: step 2: unknown ua 'carol'", OK.replace("{expect: alice", "{expect: carol"));
        assertError("demo.yaml: step 2: unknown key 'timout'", OK.replace("timeout:", "timout:"));
        assertError("demo.yaml: step 2: match must be", OK.replace("match: 2xx", "match: '2x'"));
        assertError("demo.yaml: ua alice: addr must be ip:port", OK.replace("\"127.0.0.1:5071\"", "nowhere"));
        assertError("demo.yaml: ua bob: transport must be udp or tcp", OK.replace("transport: tcp", "transport: tls"));
        assertError("demo.yaml: step 3: expected one of send, expect, wait, lose", OK.replace("{wait: 10}", "{sleep: 10}"));
        assertError("demo.yaml: invalid YAML", "uas: [");
    }

    private static void assertError(String start, String yaml) {
        ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.parse(yaml, "demo.yaml", "demo"));
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }

    @Test
    void corpusLoads() throws Exception {
        List<Scenario> all = ScenarioLoader.loadDir(Fixtures.CORPUS);
        assertEquals(List.of("basic-call", "busy", "cancel-retransmit", "cancel-ringing", "failover", "in-dialog",
                "invite-retransmit-early", "malformed-cseq", "max-forwards-zero", "no-answer-408", "no-transaction", "options-proxy",
                "retransmission-loss", "sdp-offer-answer", "tcp-leg"), all.stream().map(Scenario::name).toList());
    }

    @Test
    void templatesRenderWithCrlfLengthAndDroppedEmptyLines() {
        String out = TemplateRenderer.render("""
                MESSAGE sip:b SIP/2.0
                ${empty}
                Content-Length: ${len}

                hello
                """, v -> v.equals("empty") ? "" : "?");
        assertEquals("MESSAGE sip:b SIP/2.0\r\nContent-Length: 7\r\n\r\nhello\r\n", out);
        assertEquals("OPTIONS sip:x SIP/2.0\r\nVia: a\r\nVia: b\r\nContent-Length: 0\r\n\r\n",
                TemplateRenderer.render("OPTIONS sip:x SIP/2.0\n${v}\n", v -> "Via: a\r\nVia: b"));
    }
}
