package dev.kemi.tests.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * tm t_uac_send() on Kamailio 5.6.3 and on us with the same native cfg, seen by the callee: the
 * request line and the headers tm adds (Via, To, From and its tag, CSeq 10, Call-ID,
 * Max-Forwards, Content-Length, User-Agent, then the cfg's headers and body), the UDP
 * retransmissions (T1 doubling; an INVITE stops at a provisional, a non-INVITE stops at its
 * final), and the ACK of a negative INVITE final, sent again for its retransmission.
 */
class TUacSendTest {
    private static final String UAS = "127.0.24.33";
    private static final String CFG = """
            listen=udp:{addr}:5060
            children=1
            auto_aliases=no
            loadmodule "tm.so"
            loadmodule "sl.so"
            loadmodule "pv.so"
            request_route {
                if ($rm == "MESSAGE") {
                    $var(r) = t_uac_send("OPTIONS", "sip:uas@127.0.24.33:5072", "", "",
                        "From: <sip:proxy@{addr}>\\r\\nTo: <sip:uas@127.0.24.33>\\r\\n", "");
                    sl_send_reply("200", "sent $var(r)");
                    exit;
                }
                if ($rm == "INFO") {
                    $var(r) = t_uac_send("INVITE", "sip:uas@127.0.24.33:5072", "sip:127.0.24.33:5072", "udp:{addr}:5060",
                        "From: \\"P\\" <sip:proxy@{addr}>;tag=ft1\\r\\nTo: <sip:uas@127.0.24.33>\\r\\nCall-ID: uac-$ci\\r\\nCSeq: 7 INVITE\\r\\nContent-Type: application/sdp\\r\\nX-Via: !!\\r\\n",
                        "v=0\\r\\n");
                    sl_send_reply("200", "sent $var(r)");
                    exit;
                }
                if ($rm == "PUBLISH") {
                    $var(r) = t_uac_send("OPTIONS", "sip:uas@127.0.24.33:5072", "", "", "To: <sip:uas@127.0.24.33>\\r\\n", "");
                    sl_send_reply("200", "sent $var(r)");
                    exit;
                }
                exit;
            }
            """;
    private static KamailioPair pair;

    @BeforeAll
    static void start() {
        pair = new KamailioPair("127.0.24.31", "127.0.24.32", 5060, CFG, Map.of());
    }

    @AfterAll
    static void stop() {
        if (pair != null) pair.close();
    }

    @Test
    void optionsIsBuiltAndRetransmittedAsKamailio() {
        List<String> kamailio = options(pair.kamailioAddr);
        List<String> ours = options(pair.oursAddr);
        assertEquals(kamailio, ours);
        assertEquals(List.of(
                "uac: SIP/2.0 200 sent 1",
                "OPTIONS sip:uas@127.0.24.33:5072 SIP/2.0",
                "Via: SIP/2.0/UDP PROXY;branch=BRANCH",
                "To: <sip:uas@127.0.24.33>",
                "From: <sip:proxy@PROXY>;tag=GENERATED",
                "CSeq: 10 OPTIONS",
                "Call-ID: GENERATED@PROXY",
                "Max-Forwards: 70",
                "Content-Length: 0",
                "User-Agent: UA",
                "copies in 2.5 s: 3",
                "copies after the 200: 0",
                "uac: SIP/2.0 200 sent -1"), ours);
    }

    @Test
    void inviteStopsAtTheProvisionalAndItsNegativeFinalIsAcked() {
        List<String> kamailio = invite(pair.kamailioAddr);
        List<String> ours = invite(pair.oursAddr);
        assertEquals(kamailio, ours);
        assertEquals("INVITE sip:uas@127.0.24.33:5072 SIP/2.0", ours.get(1));
        assertEquals("CSeq: 7 INVITE", ours.get(5));
    }

    private static List<String> options(String proxy) {
        List<String> out = new ArrayList<>();
        try (KamailioPair.Peer uac = new KamailioPair.Peer("127.0.24.34", 5071);
             KamailioPair.Peer uas = new KamailioPair.Peer(UAS, 5072)) {
            uac.send(request("MESSAGE", proxy, "127.0.24.34", "uac-opt"), proxy, 5060);
            out.add("uac: " + firstLine(uac.receive(10_000)));
            String first = uas.receive(10_000);
            assertNotNull(first, proxy + " sent no OPTIONS");
            out.addAll(normalized(first, proxy));
            long start = System.nanoTime();
            int copies = 1;
            for (String m = uas.receive(2500); m != null; m = uas.receive(remaining(start, 2500))) copies++;
            out.add("copies in 2.5 s: " + copies);
            uas.send(SerialForkingTest.reply(first, "200 OK", "u1"), proxy, 5060);
            out.add("copies after the 200: " + uas.receiveAll(1500, 100).size());
            // no From in the headers: refused (-1), nothing sent
            uac.send(request("PUBLISH", proxy, "127.0.24.34", "uac-nofrom"), proxy, 5060);
            out.add("uac: " + firstLine(uac.receive(10_000)));
        }
        return out;
    }

    private static List<String> invite(String proxy) {
        List<String> out = new ArrayList<>();
        try (KamailioPair.Peer uac = new KamailioPair.Peer("127.0.24.35", 5071);
             KamailioPair.Peer uas = new KamailioPair.Peer(UAS, 5072)) {
            uac.send(request("INFO", proxy, "127.0.24.35", "uac-inv"), proxy, 5060);
            out.add("uac: " + firstLine(uac.receive(10_000)));
            String inv = uas.receive(10_000);
            assertNotNull(inv, proxy + " sent no INVITE");
            out.addAll(normalized(inv, proxy));
            uas.send(SerialForkingTest.reply(inv, "180 Ringing", "u2"), proxy, 5060);
            out.add("copies after the 180: " + uas.receiveAll(1500, 100).size());
            String busy = SerialForkingTest.reply(inv, "486 Busy Here", "u2");
            uas.send(busy, proxy, 5060);
            String ack = uas.receive(5000);
            assertNotNull(ack, proxy + " did not ACK the 486");
            out.addAll(normalized(ack, proxy));
            uas.send(busy, proxy, 5060);
            out.add("after the 486 again: " + uas.receiveAll(2000, 300).stream().map(TUacSendTest::firstLine).toList());
        }
        return out;
    }

    private static int remaining(long start, int ms) {
        return Math.max(1, ms - (int) ((System.nanoTime() - start) / 1_000_000));
    }

    /** The message's lines with what differs between runs and products masked. */
    private static List<String> normalized(String m, String proxy) {
        List<String> out = new ArrayList<>();
        for (String line : m.split("\r\n", -1)) {
            String l = line.replace(proxy + ":5060", "PROXY").replace(proxy, "PROXY")
                    .replaceAll("branch=z9hG4bK[^;\\s]+", "branch=BRANCH")
                    .replaceAll("tag=[0-9a-f]{32}-[0-9a-f]{8}", "tag=GENERATED")
                    .replaceAll("^Call-ID: [0-9a-f]{16}-[0-9a-f]+@", "Call-ID: GENERATED@")
                    .replaceAll("^Call-ID: uac-.*", "Call-ID: uac-X")
                    .replaceAll("^User-Agent: .*", "User-Agent: UA");
            out.add(l);
        }
        while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) out.remove(out.size() - 1);
        return out;
    }

    private static String request(String method, String proxy, String host, String callId) {
        return """
                %s sip:x@%s:5060 SIP/2.0
                Via: SIP/2.0/UDP %s:5071;branch=z9hG4bK-%s-%d
                Max-Forwards: 70
                From: <sip:alice@%s>;tag=a1
                To: <sip:x@%s>
                Call-ID: %s-%d
                CSeq: 1 %s
                Content-Length: 0

                """.formatted(method, proxy, host, callId, System.nanoTime(), host, proxy, callId, System.nanoTime(), method);
    }

    private static String firstLine(String m) {
        assertNotNull(m, "no reply");
        return m.substring(0, m.indexOf('\r'));
    }
}
