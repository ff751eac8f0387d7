package dev.kemi.runtime.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StreamFramerTest {
    static final String A = "MESSAGE sip:a@b SIP/2.0\r\nCall-ID: 1\r\nl: 5\r\n\r\nhello";
    static final String B = "OPTIONS sip:a@b SIP/2.0\r\nCall-ID: 2\r\n\r\n";

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void framesConsecutiveMessages() throws Exception {
        byte[] s = b(A + B);
        long f = StreamFramer.next(s, 0, s.length, true);
        assertEquals(0, StreamFramer.skipped(f));
        assertEquals(A.length(), StreamFramer.length(f));
        assertEquals("hello", new String(SipMessage.parse(s, 0, A.length()).body(), StandardCharsets.UTF_8));
        long g = StreamFramer.next(s, A.length(), s.length - A.length(), true);
        assertEquals(B.length(), StreamFramer.length(g));
        assertEquals("2", SipMessage.parse(s, A.length(), B.length()).callId());
    }

    @Test
    void skipsKeepAlives() throws Exception {
        byte[] s = b("\r\n\r\n" + B);
        long f = StreamFramer.next(s, 0, s.length, true);
        assertEquals(4, StreamFramer.skipped(f));
        assertEquals(B.length(), StreamFramer.length(f));
        byte[] ping = b("\r\n\r\n");
        long p = StreamFramer.next(ping, 0, ping.length, true);
        assertEquals(4, StreamFramer.skipped(p));
        assertEquals(0, StreamFramer.length(p));
        for (int n = 1; n < 4; n++) assertEquals(StreamFramer.NEED_MORE, StreamFramer.next(ping, 0, n, true), "half ping " + n);
        byte[] crlfs = b("\r\n".repeat(5));
        assertEquals(10, StreamFramer.skipped(StreamFramer.next(crlfs, 0, crlfs.length, true)));
        byte[] pong = b("\r\n" + B);
        assertEquals(2, StreamFramer.skipped(StreamFramer.next(pong, 0, pong.length, true)));
    }

    @Test
    void needsMoreUntilHeadersAndBodyAreComplete() throws Exception {
        byte[] s = b(A);
        for (int n = 0; n < s.length; n++) {
            assertEquals(StreamFramer.NEED_MORE, StreamFramer.next(s, 0, n, true), "prefix " + n);
        }
        assertEquals(s.length, StreamFramer.length(StreamFramer.next(s, 0, s.length, true)));
    }

    @Test
    void rejectsUnframeableStreams() {
        assertThrows(SipParseException.class, () -> StreamFramer.next(b("X sip:a SIP/2.0\r\nContent-Length: -1\r\n\r\n"), 0, 40, true));
        byte[] conflict = b("X sip:a SIP/2.0\r\nContent-Length: 1\r\nl: 2\r\n\r\nab");
        assertThrows(SipParseException.class, () -> StreamFramer.next(conflict, 0, conflict.length, true));
        byte[] big = b("X sip:a SIP/2.0\r\nContent-Length: 65536\r\n\r\n");
        assertThrows(SipParseException.class, () -> StreamFramer.next(big, 0, big.length, true));
        byte[] endless = new byte[SipMessage.MAX_MESSAGE_SIZE + 10];
        java.util.Arrays.fill(endless, (byte) 'a');
        assertThrows(SipParseException.class, () -> StreamFramer.next(endless, 0, endless.length, true));
    }

    @Test
    void missingContentLengthFailsUnlessAccepted() throws Exception {
        byte[] s = b(B);
        assertThrows(SipParseException.class, () -> StreamFramer.next(s, 0, s.length, false));
        assertEquals(B.length(), StreamFramer.length(StreamFramer.next(s, 0, s.length, true)));
        byte[] a = b(A);
        assertEquals(A.length(), StreamFramer.length(StreamFramer.next(a, 0, a.length, false)));
    }
}
