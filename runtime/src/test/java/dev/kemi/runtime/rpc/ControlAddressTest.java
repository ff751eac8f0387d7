package dev.kemi.runtime.rpc;

import static org.junit.jupiter.api.Assertions.*;

import dev.kemi.runtime.core.HttpRequestLine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ControlAddressTest {
    private static final Path RUN = Path.of("/run/kamailio");

    @Test
    void kamailiosForms() {
        assertEquals("unix:/run/kamailio/kamailio_ctl", ControlAddress.parse("unix:kamailio_ctl", RUN).toString());
        assertEquals("unix:/tmp/x", ControlAddress.parse("unixs:/tmp/x", RUN).toString());
        assertEquals("unixd:/run/kamailio/d", ControlAddress.parse("unixd:d", RUN).toString());
        assertEquals("unix:/tmp/bare", ControlAddress.parse("/tmp/bare", RUN).toString());
        assertEquals("tcp:127.0.16.1:2049", ControlAddress.parse("tcp:127.0.16.1:2049", RUN).toString());
        assertEquals(ControlAddress.Kind.UDP, ControlAddress.parse("udp:127.0.16.1:2046", RUN).kind());
        assertThrows(IllegalArgumentException.class, () -> ControlAddress.parse("tcp:127.0.16.1:x", RUN));
        assertThrows(IllegalArgumentException.class, () -> ControlAddress.parse("sctp:1.2.3.4:5", RUN));
    }

    @Test
    void httpRequestLines() {
        assertTrue(HttpRequestLine.matches("POST /RPC HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(HttpRequestLine.matches("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(HttpRequestLine.matches("OPTIONS sip:a@b SIP/2.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(HttpRequestLine.matches("GET / HTTP/2\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
    }
}
