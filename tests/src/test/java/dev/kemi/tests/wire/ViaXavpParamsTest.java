package dev.kemi.tests.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.kemi.tests.ProxyUnderTest;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * corex's via_add_xavp_params(1): the fields of the $xavp named by xavp_via_params become
 * parameters of our Via, after ;srvid=, exactly as Kamailio 5.6.3 writes them (stateful and
 * stateless). via_use_xavp_fields cannot be compared: 5.6.3's cfg parser stores
 * xavp_via_fields into xavp_via_params' name (fixed later, commit f2ba8a78c9), so it is checked
 * against the fixed behaviour on our proxy alone.
 */
class ViaXavpParamsTest {
    private static final String CFG = """
            listen=udp:{addr}:5060
            children=1
            auto_aliases=no
            server_id=7
            xavp_via_params="xvia"
            loadmodule "tm.so"
            loadmodule "sl.so"
            loadmodule "pv.so"
            loadmodule "corex.so"
            request_route {
                if ($hdr(X-Case) =~ "^params") {
                    $xavp(xvia=>p1) = "v1";
                    $xavp(xvia[0]=>p2) = 5;
                    $xavp(xvia[0]=>flag) = "";
                    $xavp(xvia[0]=>neg) = -1;
                    via_add_srvid("1");
                }
                if ($hdr(X-Case) != "none") via_add_xavp_params("1");
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
        pair = new KamailioPair("127.0.64.1", "127.0.64.2", 5060, CFG, Map.of());
    }

    @AfterAll
    static void stop() {
        if (pair != null) pair.close();
    }

    @Test
    void xavpFieldsBecomeViaParametersStateful() {
        String ours = assertSameVia("params-stateful");
        assertEquals("Via: SIP/2.0/UDP PROXY;branch=BRANCH;srvid=7;neg=4294967295;flag;p2=5;p1=v1", ours);
    }

    @Test
    void xavpFieldsBecomeViaParametersStateless() {
        assertSameVia("params-stateless");
    }

    @Test
    void withoutTheXavpNothingIsAdded() {
        assertEquals("Via: SIP/2.0/UDP PROXY;branch=BRANCH", assertSameVia("empty-stateful"));
        assertSameVia("none-stateless");
    }

    @Test
    void viaUseXavpFieldsTakesAddressAndPort() {
        try (ProxyUnderTest p = ProxyUnderTest.start("""
                listen=udp:127.0.64.3:5060
                children=1
                auto_aliases=no
                xavp_via_fields="mvia"
                loadmodule "sl.so"
                loadmodule "pv.so"
                loadmodule "corex.so"
                request_route {
                    $xavp(mvia=>address) = "edge.example.net";
                    $xavp(mvia[0]=>port) = "5099";
                    via_use_xavp_fields("1");
                    forward();
                }
                """)) {
            assertEquals("Via: SIP/2.0/UDP edge.example.net:5099;branch=BRANCH", relayedVia("127.0.64.3", "127.0.64.31", "127.0.64.32", "fields"));
        }
    }

    private static String assertSameVia(String kase) {
        String kamailio = relayedVia(pair.kamailioAddr, "127.0.64.11", "127.0.64.12", kase);
        String ours = relayedVia(pair.oursAddr, "127.0.64.21", "127.0.64.22", kase);
        assertEquals(kamailio, ours);
        return ours;
    }

    /** The top Via the next hop gets, the proxy's address as PROXY, the branch as BRANCH. */
    private static String relayedVia(String proxy, String from, String to, String kase) {
        try (KamailioPair.Peer alice = new KamailioPair.Peer(from, 5071); KamailioPair.Peer bob = new KamailioPair.Peer(to, 5072)) {
            alice.send("""
                    OPTIONS sip:bob@%s:5072 SIP/2.0
                    Via: SIP/2.0/UDP %s:5071;branch=z9hG4bK-x%s
                    Max-Forwards: 70
                    From: <sip:alice@%s>;tag=a1
                    To: <sip:bob@%s>
                    Call-ID: xavp-%s@%s
                    CSeq: 1 OPTIONS
                    X-Case: %s
                    Content-Length: 0

                    """.formatted(to, from, kase, from, to, kase, from, kase), proxy, 5060);
            String got = bob.receive(20_000);
            assertNotNull(got, "nothing relayed by " + proxy);
            for (String line : got.split("\r\n")) {
                if (line.startsWith("Via:")) return line.replace(proxy, "PROXY").replaceAll("branch=z9hG4bK[^;\\s]*", "branch=BRANCH");
            }
            return "(no Via)";
        }
    }
}
