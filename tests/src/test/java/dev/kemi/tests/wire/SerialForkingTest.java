package dev.kemi.tests.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Serial forking by q-value (tm's t_load_contacts / t_next_contacts) on Kamailio 5.6.3 and on
 * us with the same native cfg: the contact with q=1.0 is tried first and answers 486, the
 * R-URI (q unspecified) is tried from failure_route next and answers 200.
 */
class SerialForkingTest {
    private static final String CALLEES = "127.0.24.13";
    private static final String CFG = """
            listen=udp:{addr}:5060
            children=1
            auto_aliases=no
            loadmodule "tm.so"
            loadmodule "sl.so"
            loadmodule "pv.so"
            loadmodule "corex.so"
            modparam("tm", "contacts_avp", "tm_contacts")
            modparam("tm", "contact_flows_avp", "tm_contact_flows")
            request_route {
                append_branch("sip:first@127.0.24.13:5072", "1.0");
                if (!t_load_contacts()) { sl_send_reply("500", "load failed"); exit; }
                if (!t_next_contacts()) { sl_send_reply("500", "no contacts"); exit; }
                t_on_failure("NEXT");
                t_relay();
            }
            failure_route[NEXT] {
                if (!t_next_contacts()) exit;
                t_on_failure("NEXT");
                t_relay();
            }
            """;

    @Test
    void firstAnswers486ThenSecond200() {
        try (KamailioPair pair = new KamailioPair("127.0.24.1", "127.0.24.2", 5060, CFG, Map.of())) {
            List<String> kamailio = play(pair.kamailioAddr, "127.0.24.11");
            List<String> ours = play(pair.oursAddr, "127.0.24.12");
            assertEquals(kamailio, ours);
            assertEquals(List.of(
                    "first: INVITE sip:first@127.0.24.13:5072 SIP/2.0",
                    "first: ACK sip:first@127.0.24.13:5072 SIP/2.0",
                    "second: INVITE sip:second@127.0.24.13:5073 SIP/2.0",
                    "alice: SIP/2.0 100 trying -- your call is important to us",
                    "alice: SIP/2.0 200 OK"), ours);
        }
    }

    private static List<String> play(String proxy, String aliceHost) {
        List<String> out = new ArrayList<>();
        try (KamailioPair.Peer alice = new KamailioPair.Peer(aliceHost, 5071);
             KamailioPair.Peer first = new KamailioPair.Peer(CALLEES, 5072);
             KamailioPair.Peer second = new KamailioPair.Peer(CALLEES, 5073)) {
            alice.send("""
                    INVITE sip:second@%s:5073 SIP/2.0
                    Via: SIP/2.0/UDP %s:5071;branch=z9hG4bK-serial1
                    Max-Forwards: 70
                    From: <sip:alice@%s>;tag=a1
                    To: <sip:bob@example.org>
                    Call-ID: serial-%s
                    CSeq: 1 INVITE
                    Contact: <sip:alice@%s:5071>
                    Content-Length: 0

                    """.formatted(CALLEES, aliceHost, aliceHost, aliceHost, aliceHost), proxy, 5060);
            String inv1 = first.receive(10_000);
            assertNotNull(inv1, proxy + " did not fork to the q=1.0 contact");
            out.add("first: " + firstLine(inv1));
            first.send(reply(inv1, "486 Busy Here", "f1"), proxy, 5060);
            String ack = first.receive(10_000);
            assertNotNull(ack, proxy + " did not ACK the 486");
            out.add("first: " + firstLine(ack));
            String inv2 = second.receive(10_000);
            assertNotNull(inv2, proxy + " did not fork to the next contact");
            out.add("second: " + firstLine(inv2));
            second.send(reply(inv2, "200 OK", "s1"), proxy, 5060);
            for (String r : alice.receiveAll(10_000, 500)) out.add("alice: " + firstLine(r));
        }
        return out;
    }

    private static String firstLine(String m) {
        return m.substring(0, m.indexOf('\r'));
    }

    /** A reply to a relayed request: its Vias, From, Call-ID, CSeq, the To with a tag. */
    static String reply(String request, String status, String tag) {
        StringBuilder b = new StringBuilder("SIP/2.0 " + status + "\n");
        for (String line : request.split("\r\n")) {
            if (line.startsWith("Via:") || line.startsWith("From:") || line.startsWith("Call-ID:") || line.startsWith("CSeq:")) {
                b.append(line).append('\n');
            } else if (line.startsWith("To:")) {
                b.append(line).append(";tag=").append(tag).append('\n');
            }
        }
        if (status.startsWith("200")) b.append("Contact: <sip:callee@127.0.24.13:5073>\n");
        return b.append("Content-Length: 0\n\n").toString();
    }
}
