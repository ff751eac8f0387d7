package dev.kemi.runtime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CallIdHashTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void longAndCompactFormsHashLikeTheText() {
        int expected = CallIdHash.of("abc@host");
        assertEquals(expected, CallIdHash.of(b("INVITE sip:x SIP/2.0\r\nVia: a\r\nCall-ID: abc@host\r\n\r\n")));
        assertEquals(expected, CallIdHash.of(b("INVITE sip:x SIP/2.0\r\ni :\tabc@host  \r\n\r\n")));
        assertEquals(expected, CallIdHash.of(b("SIP/2.0 200 OK\r\nCALL-ID:abc@host\r\n\r\n")));
    }

    @Test
    void noCallIdMeansAnyWorker() {
        assertEquals(CallIdHash.NONE, CallIdHash.of(b("INVITE sip:x SIP/2.0\r\nVia: a\r\n\r\nCall-ID: in-body\r\n")));
        assertEquals(CallIdHash.NONE, CallIdHash.of(b("garbage")));
        assertEquals(CallIdHash.NONE, CallIdHash.of((String) null));
    }
}
