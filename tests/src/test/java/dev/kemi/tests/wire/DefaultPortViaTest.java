package dev.kemi.tests.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A proxy on port 5060 leaves the port out of its Via and Record-Route, as Kamailio 5.6.3's
 * via_builder and record_route do: the same cfg on both, what the next hop gets compared.
 */
class DefaultPortViaTest {
    private static final String CFG = """
            listen=udp:{addr}:5060
            children=1
            auto_aliases=no
            loadmodule "tm.so"
            loadmodule "sl.so"
            loadmodule "rr.so"
            loadmodule "pv.so"
            request_route {
                record_route();
                if ($hdr(X-Case) == "stateless") {
                    forward();
                    exit;
                }
                t_relay();
            }
            """;
    private static KamailioPair pair;

    @BeforeAll
    static void start() {
        pair = new KamailioPair("127.0.19.1", "127.0.19.2", 5060, CFG, Map.of());
    }

    @AfterAll
    static void stop() {
        if (pair != null) pair.close();
    }

    @Test
    void statefulRelay() {
        assertSameHeaders("stateful");
    }

    @Test
    void statelessForward() {
        assertSameHeaders("stateless");
    }

    private static void assertSameHeaders(String kase) {
        List<String> kamailio = relayedHeaders(pair.kamailioAddr, "127.0.19.11", "127.0.19.12", kase);
        List<String> ours = relayedHeaders(pair.oursAddr, "127.0.19.21", "127.0.19.22", kase);
        assertEquals(kamailio, ours);
        assertEquals("Via: SIP/2.0/UDP PROXY;branch=BRANCH", ours.get(0));
    }

    /** The top Via and the Record-Route the next hop gets, the proxy's address as PROXY. */
    private static List<String> relayedHeaders(String proxy, String from, String to, String kase) {
        try (KamailioPair.Peer alice = new KamailioPair.Peer(from, 5071); KamailioPair.Peer bob = new KamailioPair.Peer(to, 5072)) {
            alice.send("""
                    OPTIONS sip:bob@%s:5072 SIP/2.0
                    Via: SIP/2.0/UDP %s:5071;branch=z9hG4bK-p%s
                    Max-Forwards: 70
                    From: <sip:alice@%s>;tag=a1
                    To: <sip:bob@%s>
                    Call-ID: port-%s@%s
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
