package dev.kemi.tests.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.tests.Kamailio;
import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.db.TestDatabases;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SIP over WebSocket, the same cfg on Kamailio 5.6.3 (websocket + xhttp modules) and on us,
 * native and KEMI JavaScript: a JDK WebSocket phone registers, SIPp over UDP calls it and hangs
 * up, keepalive Pings, refused handshakes, an oversized frame, a half-open connection, a remote
 * Close, ws.dump / ws.close over kamcmd and the websocket statistics. Every step's normalised
 * result must be the same.
 */
class WebSocketVsKamailioTest {
    private static final String CLIENT = "127.0.29.50";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"native", "js"})
    void sameAsKamailio(String flavour) throws Exception {
        TestDatabases.requirePeer(Kamailio.installed() && WsScenario.peersInstalled(), "kamailio 5.6.3, kamcmd and sipp are needed");
        boolean js = flavour.equals("js");
        String kamIp = js ? "127.0.29.12" : "127.0.29.10", ourIp = js ? "127.0.29.13" : "127.0.29.11";
        List<String> kam, ours;
        Path dir = Files.createTempDirectory("kemi-ws-kamailio");
        Path cfg = dir.resolve("kamailio.cfg");
        Files.writeString(cfg, (js ? WsCfg.jsCfg(kamIp) : WsCfg.nativeCfg(kamIp)).replace("{dir}", dir.toString()));
        Files.writeString(dir.resolve("ws.js"), WsCfg.JS);
        try (Kamailio k = Kamailio.startBound(cfg, dir, List.of(new InetSocketAddress(kamIp, 5060)))) {
            kam = WsScenario.run(kamIp, CLIENT, dir.resolve("ctl.sock"), dir);
            assertTrue(k.isAlive(), k.log());
        }
        try (ProxyUnderTest p = ProxyUnderTest.start(js ? WsCfg.jsCfg(ourIp) : WsCfg.nativeCfg(ourIp), Map.of("ws.js", WsCfg.JS))) {
            Path ourDir = p.cfgFile().getParent();
            ours = WsScenario.run(ourIp, CLIENT, ourDir.resolve("ctl.sock"), ourDir);
        }
        // deliberate differences, spelled out: an oversized frame gets Close 1009 (RFC 6455 §7.4.1)
        // before the connection goes, counted as a local close; Kamailio's TCP reader drops the
        // connection without a Close and keeps its WebSocket entry until the keepalive reaps it
        // (so it counts one more concurrent connection)
        expect(kam, "oversized frame: ", "EOF, then closed");
        expect(ours, "oversized frame: ", "8 1009 Message Too Big, then closed");
        expect(kam, "ws_local_closed_connections ", "1");
        expect(ours, "ws_local_closed_connections ", "2");
        expect(ours, "ws_max_concurrent_connections ", "2");
        int lingering = kam.indexOf(kam.stream().filter(l -> l.startsWith("ws_max_concurrent_connections ")).findFirst().orElseThrow());
        assertTrue(Integer.parseInt(kam.get(lingering).split(" ")[1]) >= 3, kam.get(lingering));
        kam.set(lingering, "ws_max_concurrent_connections (compared above)");
        // what both do, spelled out, then every other step line by line
        assertEquals("INVITE sip:alice@df7jal23ls0d.invalid;transport=ws SIP/2.0 | Via: SIP/2.0/WS PROXY:8080;branch=X"
                + " | Record-Route: <sip:PROXY:8080;transport=ws;r2=on;lr;ftag=X>, <sip:PROXY;r2=on;lr;ftag=X>"
                + " | Contact: <sip:sipp@CLIENT:SIPPPORT;transport=UDP>", kam.get(8));
        assertEquals("SIPp's 200 Contact: <sip:alice@df7jal23ls0d.invalid;alias=CLIENT~WSPORT~5;transport=ws>", kam.get(12));
        assertEquals("sipp exit 0", kam.get(11));
        for (int i = 0; i < Math.max(kam.size(), ours.size()); i++) {
            assertEquals(i < kam.size() ? kam.get(i) : null, i < ours.size() ? ours.get(i) : null,
                    "step " + i + "\nKamailio: " + kam + "\nours:     " + ours);
        }
    }

    /** Checks the step starting with prefix and takes it out of the line-by-line comparison. */
    private static void expect(List<String> steps, String prefix, String value) {
        int i = 0;
        while (i < steps.size() && !steps.get(i).startsWith(prefix)) i++;
        assertTrue(i < steps.size(), "no step " + prefix + " in " + steps);
        assertEquals(prefix + value, steps.get(i), steps.toString());
        steps.set(i, prefix + "(compared above)");
    }
}
