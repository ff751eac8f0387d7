package dev.kemi.tests.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * t_relay() in failure_route on Kamailio 5.6.3 and on us with the same cfg: the R-URI counts as
 * used when failure_route starts (Kamailio's ruri_mark_consumed in the faked environment), so
 * without a new R-URI or branch t_relay() fails ("no branches for forwarding"); setting the
 * R-URI, even to the same value, makes it usable again.
 */
class FailureRouteRuriTest {
    private static final String CALLEE = "127.0.24.37";
    private static final String CFG = """
            listen=udp:{addr}:5060
            children=1
            auto_aliases=no
            loadmodule "tm.so"
            loadmodule "sl.so"
            loadmodule "pv.so"
            request_route {
                if ($rm == "ACK") {
                    if (t_check_trans()) t_relay();
                    exit;
                }
                if ($rm != "INVITE") exit;
                t_on_failure("F");
                t_relay();
            }
            failure_route[F] {
                if ($rU == "same") $ru = $ru;
                if (!t_relay()) t_reply("500", "not relayed");
            }
            """;

    @Test
    void unchangedRuriIsNotRelayedAgainASetOneIs() {
        try (KamailioPair pair = new KamailioPair("127.0.24.35", "127.0.24.36", 5060, CFG, Map.of())) {
            for (String user : List.of("plain", "same")) {
                List<String> kamailio = play(pair.kamailioAddr, "127.0.24.38", user);
                List<String> ours = play(pair.oursAddr, "127.0.24.39", user);
                assertEquals(kamailio, ours, user);
            }
            assertEquals(List.of("bob: INVITE sip:plain@127.0.24.37:5072 SIP/2.0", "bob: ACK sip:plain@127.0.24.37:5072 SIP/2.0",
                    "alice: SIP/2.0 100 trying -- your call is important to us", "alice: SIP/2.0 500 not relayed"),
                    play(pair.oursAddr, "127.0.24.39", "plain"));
        }
    }

    private static List<String> play(String proxy, String host, String user) {
        List<String> out = new ArrayList<>();
        try (KamailioPair.Peer alice = new KamailioPair.Peer(host, 5071);
             KamailioPair.Peer bob = new KamailioPair.Peer(CALLEE, 5072)) {
            String callId = "fr-" + user + "-" + System.nanoTime();
            alice.send("""
                    INVITE sip:%s@%s:5072 SIP/2.0
                    Via: SIP/2.0/UDP %s:5071;branch=z9hG4bK-%s
                    Max-Forwards: 70
                    From: <sip:alice@%s>;tag=a1
                    To: <sip:%s@%s>
                    Call-ID: %s
                    CSeq: 1 INVITE
                    Contact: <sip:alice@%s:5071>
                    Content-Length: 0

                    """.formatted(user, CALLEE, host, callId, host, user, CALLEE, callId, host), proxy, 5060);
            // every INVITE that reaches bob gets a 486; what else comes (its ACK) is recorded
            for (String m = bob.receive(5000); m != null; m = bob.receive(1000)) {
                out.add("bob: " + firstLine(m));
                if (m.startsWith("INVITE")) bob.send(SerialForkingTest.reply(m, "486 Busy Here", "b1"), proxy, 5060);
            }
            String fin = null;
            // retransmissions of the final (alice ACKs only at the end) are counted once
            for (String r : alice.receiveAll(5000, 300)) {
                String line = "alice: " + firstLine(r);
                if (!line.equals(out.get(out.size() - 1))) out.add(line);
                if (!r.startsWith("SIP/2.0 1")) fin = r;
            }
            assertNotNull(fin, proxy + " sent no final reply to alice");
            alice.send(ack(fin, user, host), proxy, 5060);
        }
        return out;
    }

    private static String ack(String reply, String user, String host) {
        StringBuilder b = new StringBuilder("ACK sip:" + user + "@" + CALLEE + ":5072 SIP/2.0\n");
        for (String line : reply.split("\r\n")) {
            if (line.startsWith("Via:") || line.startsWith("From:") || line.startsWith("To:") || line.startsWith("Call-ID:")) {
                b.append(line).append('\n');
            }
        }
        return b.append("Max-Forwards: 70\nCSeq: 1 ACK\nContent-Length: 0\n\n").toString();
    }

    private static String firstLine(String m) {
        return m.substring(0, m.indexOf('\r'));
    }
}
