package dev.kemi.tests.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The core parameters advertised_address / advertised_port put their host and port into our Via
 * and Record-Route (over a listen's own advertise, under set_advertised_*), as Kamailio 5.6.3.
 */
class GlobalAdvertisedTest {
    private static final String CFG = """
            listen=udp:{addr}:5060
            children=1
            auto_aliases=no
            advertised_address="edge.example.net"
            advertised_port=5099
            loadmodule "tm.so"
            loadmodule "sl.so"
            loadmodule "rr.so"
            loadmodule "pv.so"
            request_route {
                if ($hdr(X-Case) =~ "^script") {
                    set_advertised_address("script.example.net");
                }
                record_route();
                if ($hdr(X-Case) =~ "stateless$") {
                    forward();
                    exit;
                }
                t_relay();
            }
            """;
    private static KamailioPair pair;

    @BeforeAll
    static void start() {
        pair = new KamailioPair("127.0.64.41", "127.0.64.42", 5060, CFG, Map.of());
    }

    @AfterAll
    static void stop() {
        if (pair != null) pair.close();
    }

    @Test
    void statefulRelay() {
        List<String> ours = assertSameHeaders("global-stateful");
        assertEquals("Via: SIP/2.0/UDP edge.example.net:5099;branch=BRANCH", ours.get(0));
    }

    @Test
    void statelessForward() {
        assertSameHeaders("global-stateless");
    }

    @Test
    void theScriptsAddressWins() {
        assertSameHeaders("script-stateful");
    }

    private static List<String> assertSameHeaders(String kase) {
        List<String> kamailio = relayedHeaders(pair.kamailioAddr, "127.0.64.51", "127.0.64.52", kase);
        List<String> ours = relayedHeaders(pair.oursAddr, "127.0.64.61", "127.0.64.62", kase);
        assertEquals(kamailio, ours);
        return ours;
    }

    /** The top Via and the Record-Route the next hop gets. */
    private static List<String> relayedHeaders(String proxy, String from, String to, String kase) {
        try (KamailioPair.Peer alice = new KamailioPair.Peer(from, 5071); KamailioPair.Peer bob = new KamailioPair.Peer(to, 5072)) {
            alice.send("""
                    OPTIONS sip:bob@%s:5072 SIP/2.0
                    Via: SIP/2.0/UDP %s:5071;branch=z9hG4bK-g%s
                    Max-Forwards: 70
                    From: <sip:alice@%s>;tag=a1
                    To: <sip:bob@%s>
                    Call-ID: adv-%s@%s
                    CSeq: 1 OPTIONS
                    X-Case: %s
                    Content-Length: 0

                    """.formatted(to, from, kase, from, to, kase, from, kase), proxy, 5060);
            String got = bob.receive(20_000);
            assertNotNull(got, "nothing relayed by " + proxy);
            String via = null, rr = null;
            for (String line : got.split("\r\n")) {
                if (via == null && line.startsWith("Via:")) via = line;
                if (rr == null && line.startsWith("Record-Route:")) rr = line;
            }
            return List.of(normalise(via, proxy), normalise(rr, proxy));
        }
    }

    private static String normalise(String header, String proxy) {
        return header == null ? "(none)" : header.replace(proxy, "PROXY").replaceAll("branch=z9hG4bK[^;\\s]*", "branch=BRANCH")
                .replaceAll(";ftag=[^;>]*", "");
    }
}
