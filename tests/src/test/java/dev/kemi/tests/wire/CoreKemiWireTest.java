package dev.kemi.tests.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * KEMI core functions compared with Kamailio 5.6.3 on the wire: KSR.route("NAME") runs the cfg's
 * native route block, and add_tcp_alias / add_tcp_alias_via make later requests for the
 * sender's IP and that port go over its TCP connection.
 */
class CoreKemiWireTest {
    private static final String CFG = """
            listen=udp:{addr}:5060
            listen=tcp:{addr}:5060
            children=1
            tcp_children=1
            auto_aliases=no
            loadmodule "sl.so"
            loadmodule "pv.so"
            loadmodule "textops.so"
            loadmodule "app_jsdt.so"
            modparam("app_jsdt", "load", "{dir}/route.js")
            cfgengine "jsdt"
            route[SUB] {
                append_hf("X-Sub: $rm\\r\\n");
                return 2;
            }
            route[STOP] {
                exit;
            }
            """;
    private static final String JS = """
            function ksr_request_route() {
                var c = KSR.hdr.get("X-Case");
                if (c == "alias") {
                    KSR.add_tcp_alias_via();
                    KSR.add_tcp_alias(5998);
                    KSR.sl.sl_send_reply(200, "Aliased");
                    return;
                }
                if (c == "route") {
                    var a = KSR.route("SUB"), b = KSR.route("NOPE");
                    KSR.hdr.append("X-Ret: " + a + "," + b + "\\r\\n");
                } else if (c == "stop") {
                    var s = KSR.route("STOP");
                    KSR.hdr.append("X-Ret: " + s + "\\r\\n");
                }
                KSR.forward();
            }
            """;
    private static KamailioPair pair;

    @BeforeAll
    static void start() {
        pair = new KamailioPair("127.0.25.5", "127.0.25.6", 5060, CFG, Map.of("route.js", JS));
    }

    @AfterAll
    static void stop() {
        if (pair != null) pair.close();
    }

    @Test
    void routeRunsTheNativeBlock() {
        List<String> k = relayed(pair.kamailioAddr, "127.0.25.61", "127.0.25.62", "route");
        assertEquals(k, relayed(pair.oursAddr, "127.0.25.71", "127.0.25.72", "route"));
        assertEquals(List.of("X-Sub: OPTIONS", "X-Ret: 2,-1"), k);
    }

    @Test
    void exitInTheNativeBlock() {
        List<String> k = relayed(pair.kamailioAddr, "127.0.25.63", "127.0.25.64", "stop");
        assertEquals(k, relayed(pair.oursAddr, "127.0.25.73", "127.0.25.74", "stop"));
    }

    @Test
    void tcpAliasCarriesLaterRequests() {
        List<String> k = aliased(pair.kamailioAddr, "127.0.25.65", "127.0.25.66");
        assertEquals(k, aliased(pair.oursAddr, "127.0.25.75", "127.0.25.76"));
        assertEquals(List.of("SIP/2.0 200 Aliased", "MESSAGE sip:alice@ALICE:5999;transport=tcp SIP/2.0",
                "MESSAGE sip:alice@ALICE:5998;transport=tcp SIP/2.0"), k);
    }

    /** The X- headers of the OPTIONS the callee gets, or "(nothing)". */
    private static List<String> relayed(String proxy, String from, String to, String kase) {
        try (KamailioPair.Peer alice = new KamailioPair.Peer(from, 5071); KamailioPair.Peer bob = new KamailioPair.Peer(to, 5072)) {
            alice.send(request("OPTIONS", "sip:bob@" + to + ":5072", "UDP", from + ":5071", kase), proxy, 5060);
            String got = bob.receive(3_000);
            List<String> out = new ArrayList<>();
            if (got == null) return List.of("(nothing)");
            for (String l : got.split("\r\n")) if (l.startsWith("X-") && !l.startsWith("X-Case")) out.add(l);
            return out;
        }
    }

    /** alice on TCP from port 5999 asks for aliases; bob's two MESSAGEs for alice:5999 and :5998 must come over her connection. */
    private static List<String> aliased(String proxy, String aliceIp, String bobIp) {
        List<String> out = new ArrayList<>();
        try (Socket alice = new Socket(); KamailioPair.Peer bob = new KamailioPair.Peer(bobIp, 5072)) {
            alice.bind(new InetSocketAddress(aliceIp, 0));
            alice.connect(new InetSocketAddress(proxy, 5060), 5_000);
            alice.getOutputStream().write(request("OPTIONS", "sip:" + proxy, "TCP", aliceIp + ":5999", "alias")
                    .replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.add(firstLine(read(alice)));
            for (int port : new int[] {5999, 5998}) {
                bob.send(request("MESSAGE", "sip:alice@" + aliceIp + ":" + port + ";transport=tcp", "UDP", bobIp + ":5072", "relay" + port), proxy, 5060);
                out.add(firstLine(read(alice)).replace(aliceIp, "ALICE"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String firstLine(String m) {
        assertNotNull(m, "nothing on the TCP connection");
        return m.substring(0, m.indexOf("\r\n"));
    }

    /** One message from the connection (headers up to the blank line; no bodies here). */
    private static String read(Socket s) throws IOException {
        s.setSoTimeout(5_000);
        InputStream in = s.getInputStream();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            while (true) {
                int c = in.read();
                if (c < 0) return null;
                b.write(c);
                String t = b.toString(StandardCharsets.ISO_8859_1);
                if (t.endsWith("\r\n\r\n")) return t;
            }
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    private static String request(String method, String ruri, String transport, String sentBy, String kase) {
        return """
                %s %s SIP/2.0
                Via: SIP/2.0/%s %s;branch=z9hG4bK-k%s
                Max-Forwards: 70
                From: <sip:alice@example.com>;tag=a1
                To: <sip:bob@example.com>
                Call-ID: core-%s-%s
                CSeq: 1 %s
                X-Case: %s
                Content-Length: 0

                """.formatted(method, ruri, transport, sentBy, kase, kase, sentBy, method, kase);
    }
}
