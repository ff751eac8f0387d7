package dev.kemi.runtime.modules.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kemi.runtime.sip.Header;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ws_handle_handshake's checks in 5.6.3's order and the replies they give. */
class HandshakeTest {
    private static List<Header> headers(String... nameValue) {
        List<Header> out = new ArrayList<>();
        for (int i = 0; i + 1 < nameValue.length; i += 2) out.add(new Header(nameValue[i], nameValue[i + 1], 0, 0));
        return out;
    }

    private static List<Header> good(String... extra) {
        List<Header> h = headers("Host", "p:8080", "Upgrade", "websocket", "Connection", "keep-alive, Upgrade",
                "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version", "13", "Sec-WebSocket-Protocol", "sip");
        h.addAll(headers(extra));
        return h;
    }

    @Test
    void acceptsWithTheRfcAcceptValue() {
        Handshake h = Handshake.check(good(), Handshake.SIP, 0);
        assertEquals(101, h.code());
        // RFC 6455 §1.3's example key and its accept value
        assertEquals("Sec-WebSocket-Protocol: sip\r\nUpgrade: websocket\r\nConnection: upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n", h.headers());
    }

    @Test
    void refusals() {
        assertEquals(426, Handshake.check(headers("Upgrade", "websocket", "Sec-WebSocket-Version", "8"), Handshake.SIP, 0).code());
        Handshake missing = Handshake.check(headers("Upgrade", "websocket", "Connection", "Upgrade"), Handshake.SIP, 0);
        assertEquals(400, missing.code());
        assertEquals("Sec-WebSocket-Protocol: sip\r\nSec-WebSocket-Version: 13\r\n", missing.headers());
        assertEquals(400, Handshake.check(good("Sec-WebSocket-Key", "x"), Handshake.SIP, 0).code());
        assertEquals(400, Handshake.check(good("Origin", "a", "Origin", "b"), Handshake.SIP, 0).code());
        List<Header> msrpOnly = good();
        msrpOnly.removeIf(x -> x.name().equals("Sec-WebSocket-Protocol"));
        msrpOnly.addAll(headers("Sec-WebSocket-Protocol", "msrp"));
        assertEquals(400, Handshake.check(msrpOnly, Handshake.SIP, 0).code(), "no sub-protocol we offer");
    }

    @Test
    void corsModes() {
        assertEquals("Access-Control-Allow-Origin: *\r\n", Handshake.check(good("Origin", "https://a"), Handshake.SIP, 1).headers()
                .lines().findFirst().orElseThrow() + "\r\n");
        assertEquals("Access-Control-Allow-Origin: https://a", Handshake.check(good("Origin", "https://a"), Handshake.SIP, 2).headers()
                .lines().findFirst().orElseThrow());
    }
}
