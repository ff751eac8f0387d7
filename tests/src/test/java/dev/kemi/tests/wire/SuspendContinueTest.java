package dev.kemi.tests.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * tmx t_suspend() / t_continue() on Kamailio 5.6.3 and on us with the same native cfg: the
 * INVITE is suspended (100 Trying only, nothing relayed) until an OPTIONS from elsewhere
 * continues it in route[RESUME], which relays it; the callee's 200 reaches the caller.
 */
class SuspendContinueTest {
    private static final String CALLEE = "127.0.24.23";
    private static final String CFG = """
            listen=udp:{addr}:5060
            children=1
            auto_aliases=no
            loadmodule "tm.so"
            loadmodule "tmx.so"
            loadmodule "sl.so"
            loadmodule "pv.so"
            loadmodule "htable.so"
            modparam("htable", "htable", "susp=>size=4;")
            request_route {
                if ($rm == "OPTIONS") {
                    if (t_continue("$sht(susp=>idx)", "$sht(susp=>lbl)", "RESUME")) {
                        sl_send_reply("200", "continued");
                    } else {
                        sl_send_reply("404", "not continued");
                    }
                    exit;
                }
                if ($rm != "INVITE") exit;
                if (!t_suspend()) { sl_send_reply("500", "not suspended"); exit; }
                $sht(susp=>idx) = $T(id_index);
                $sht(susp=>lbl) = $T(id_label);
                exit;
            }
            route[RESUME] {
                t_relay();
            }
            """;

    @Test
    void suspendedInviteIsRelayedWhenContinued() {
        try (KamailioPair pair = new KamailioPair("127.0.24.21", "127.0.24.22", 5060, CFG, Map.of())) {
            List<String> kamailio = play(pair.kamailioAddr, "127.0.24.24");
            List<String> ours = play(pair.oursAddr, "127.0.24.25");
            assertEquals(kamailio, ours);
            assertEquals(List.of(
                    "alice: SIP/2.0 100 trying -- your call is important to us",
                    "carol: SIP/2.0 200 continued",
                    "bob: INVITE sip:bob@127.0.24.23:5072 SIP/2.0",
                    "alice: SIP/2.0 200 OK",
                    "carol again: SIP/2.0 404 not continued"), ours);
        }
    }

    private static List<String> play(String proxy, String host) {
        List<String> out = new ArrayList<>();
        try (KamailioPair.Peer alice = new KamailioPair.Peer(host, 5071);
             KamailioPair.Peer carol = new KamailioPair.Peer(host, 5074);
             KamailioPair.Peer bob = new KamailioPair.Peer(CALLEE, 5072)) {
            alice.send("""
                    INVITE sip:bob@%s:5072 SIP/2.0
                    Via: SIP/2.0/UDP %s:5071;branch=z9hG4bK-susp1
                    Max-Forwards: 70
                    From: <sip:alice@%s>;tag=a1
                    To: <sip:bob@%s>
                    Call-ID: suspend-%s
                    CSeq: 1 INVITE
                    Contact: <sip:alice@%s:5071>
                    Content-Length: 0

                    """.formatted(CALLEE, host, host, CALLEE, host, host), proxy, 5060);
            String trying = alice.receive(10_000);
            assertNotNull(trying, proxy + " sent no 100 Trying for the suspended INVITE");
            out.add("alice: " + firstLine(trying));
            assertNull(bob.receive(300), proxy + " relayed the INVITE while it was suspended");
            carol.send(options(proxy, host, "susp-opt1"), proxy, 5060);
            String continued = carol.receive(10_000);
            assertNotNull(continued, proxy + " did not answer the OPTIONS");
            out.add("carol: " + firstLine(continued));
            String inv = bob.receive(10_000);
            assertNotNull(inv, proxy + " did not relay the continued INVITE");
            out.add("bob: " + firstLine(inv));
            bob.send(SerialForkingTest.reply(inv, "200 OK", "b1"), proxy, 5060);
            for (String r : alice.receiveAll(10_000, 300)) out.add("alice: " + firstLine(r));
            // continued once: the transaction is no longer suspended
            carol.send(options(proxy, host, "susp-opt2"), proxy, 5060);
            String again = carol.receive(10_000);
            assertNotNull(again, proxy + " did not answer the second OPTIONS");
            out.add("carol again: " + firstLine(again));
        }
        return out;
    }

    private static String options(String proxy, String host, String callId) {
        return """
                OPTIONS sip:%s:5060 SIP/2.0
                Via: SIP/2.0/UDP %s:5074;branch=z9hG4bK-%s
                Max-Forwards: 70
                From: <sip:carol@%s>;tag=c1
                To: <sip:%s>
                Call-ID: %s-%s
                CSeq: 1 OPTIONS
                Content-Length: 0

                """.formatted(proxy, host, callId, host, proxy, callId, host);
    }

    private static String firstLine(String m) {
        return m.substring(0, m.indexOf('\r'));
    }
}
