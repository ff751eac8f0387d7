package dev.kemi.tests.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A KEMI script that calls t_check_trans(), goes on (0 does not exit in KEMI) and calls
 * t_relay(): a retransmitted INVITE after a 180 gets the 180 once, and t_relay() adds a branch
 * to the transaction t_check_trans() found, as on Kamailio 5.6.3 (its set_t(), then t_relay's
 * "transaction already in process" path). Python and JS, each against Kamailio.
 */
class CheckTransRelayTest {
    private static final String PY = """
            import KSR
            class kamailio:
                def __init__(self):
                    pass
                def child_init(self, rank):
                    return 0
                def ksr_request_route(self, msg):
                    KSR.tm.t_check_trans()
                    KSR.tm.t_relay()
                    return 1
                def ksr_reply_route(self, msg):
                    return 1
                def ksr_onsend_route(self, msg):
                    return 1
            def mod_init():
                return kamailio()
            """;
    private static final String JS = """
            function ksr_request_route() {
                KSR.tm.t_check_trans();
                KSR.tm.t_relay();
            }
            """;

    @ParameterizedTest
    @ValueSource(strings = {"python", "js"})
    void retransmittedInviteAfterRinging(String lang) {
        boolean py = lang.equals("python");
        String cfg = """
                listen=udp:{addr}:5060
                children=1
                auto_aliases=no
                loadmodule "tm.so"
                loadmodule "sl.so"
                loadmodule "pv.so"
                """ + (py
                ? "loadmodule \"app_python3.so\"\nmodparam(\"app_python3\", \"load\", \"{dir}/route.py\")\ncfgengine \"python\"\n"
                : "loadmodule \"app_jsdt.so\"\nmodparam(\"app_jsdt\", \"load\", \"{dir}/route.js\")\ncfgengine \"jsdt\"\n");
        Map<String, String> files = py ? Map.of("route.py", PY) : Map.of("route.js", JS);
        String block = py ? "3" : "4";
        try (KamailioPair pair = new KamailioPair("127.0.19." + block + "1", "127.0.19." + block + "2", 5060, cfg, files)) {
            List<String> kamailio = play(pair.kamailioAddr, "127.0.19." + block + "3", "127.0.19." + block + "4");
            List<String> ours = play(pair.oursAddr, "127.0.19." + block + "5", "127.0.19." + block + "6");
            assertEquals(kamailio, ours);
            assertEquals(List.of("alice: SIP/2.0 180 Ringing", "bob: INVITE on branch .1"), ours);
        }
    }

    /** What alice gets for the retransmitted INVITE, and the branch the callee sees it on. */
    private static List<String> play(String proxy, String aliceHost, String bobHost) {
        try (KamailioPair.Peer alice = new KamailioPair.Peer(aliceHost, 5071); KamailioPair.Peer bob = new KamailioPair.Peer(bobHost, 5072)) {
            String invite = """
                    INVITE sip:bob@%s:5072 SIP/2.0
                    Via: SIP/2.0/UDP %s:5071;branch=z9hG4bK-rt1
                    Max-Forwards: 70
                    From: <sip:alice@%s>;tag=a1
                    To: <sip:bob@%s>
                    Call-ID: retrans@%s
                    CSeq: 1 INVITE
                    Contact: <sip:alice@%s:5071>
                    Content-Length: 0

                    """.formatted(bobHost, aliceHost, aliceHost, bobHost, aliceHost, aliceHost);
            alice.send(invite, proxy, 5060);
            String relayed = bob.receive(30_000);
            assertNotNull(relayed, proxy + " relayed nothing");
            StringBuilder ringing = new StringBuilder("SIP/2.0 180 Ringing\n");
            for (String line : relayed.split("\r\n")) {
                if (line.startsWith("Via:") || line.startsWith("From:") || line.startsWith("Call-ID:") || line.startsWith("CSeq:")) {
                    ringing.append(line).append('\n');
                } else if (line.startsWith("To:")) {
                    ringing.append(line).append(";tag=b1\n");
                }
            }
            bob.send(ringing.append("Content-Length: 0\n\n").toString(), proxy, 5060);
            while (true) { // 100 Trying, then the 180
                String r = alice.receive(10_000);
                assertNotNull(r, "no 180 from " + proxy);
                if (r.startsWith("SIP/2.0 180")) break;
            }
            alice.send(invite, proxy, 5060);
            // the callee's INVITE is sent after whatever alice gets: once it is here, alice's are too
            String branch = null;
            while (branch == null || branch.endsWith(".0")) { // skip timer-A retransmissions of branch 0
                String r = bob.receive(10_000);
                assertNotNull(r, "no second INVITE from " + proxy);
                branch = r.replaceAll("(?s).*?Via: [^\r]*branch=([^;\r]*).*", "$1");
            }
            List<String> out = new ArrayList<>();
            for (String r : alice.receiveAll(200, 200)) out.add("alice: " + r.substring(0, r.indexOf('\r')));
            out.add("bob: INVITE on branch " + branch.substring(branch.lastIndexOf('.')));
            return out;
        }
    }
}
