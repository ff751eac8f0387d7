package dev.kemi.runtime.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SipFrameDecoderTest {
    private static final String MSG = "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nl: 4\r\n\r\nbody";
    private static final String NO_BODY = "OPTIONS sip:a@b SIP/2.0\r\nContent-Length :  0 \r\n\r\n";

    private static ByteBuf buf(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    private static String next(EmbeddedChannel ch) {
        byte[] b = ch.readInbound();
        return b == null ? null : new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void messageSplitAcrossReads() {
        EmbeddedChannel ch = new EmbeddedChannel(new SipFrameDecoder(true));
        for (int i = 0; i < MSG.length(); i += 7) {
            assertNull(next(ch));
            ch.writeInbound(buf(MSG.substring(i, Math.min(MSG.length(), i + 7))));
        }
        assertEquals(MSG, next(ch));
        assertNull(next(ch));
    }

    @Test
    void severalMessagesInOneRead() {
        EmbeddedChannel ch = new EmbeddedChannel(new SipFrameDecoder(true));
        ch.writeInbound(buf(MSG + "\r\n" + NO_BODY + MSG));
        assertEquals(MSG, next(ch));
        assertEquals(NO_BODY, next(ch));
        assertEquals(MSG, next(ch));
        assertNull(next(ch));
    }

    @Test
    void doubleCrlfPingGetsPong() {
        EmbeddedChannel ch = new EmbeddedChannel(new SipFrameDecoder(true));
        ch.writeInbound(buf("\r\n\r\n"));
        ByteBuf pong = ch.readOutbound();
        byte[] b = new byte[pong.readableBytes()];
        pong.readBytes(b);
        assertArrayEquals("\r\n".getBytes(StandardCharsets.ISO_8859_1), b);
        ch.writeInbound(buf(NO_BODY));
        assertEquals(NO_BODY, next(ch));
    }

    @Test
    void conflictingContentLengthsCloseTheStream() {
        EmbeddedChannel ch = new EmbeddedChannel(new SipFrameDecoder(true));
        assertThrows(DecoderException.class, () -> ch.writeInbound(buf("OPTIONS sip:a@b SIP/2.0\r\nl: 1\r\nContent-Length: 2\r\n\r\nab")));
    }

    @Test
    void oversizeMessageIsRefused() {
        EmbeddedChannel ch = new EmbeddedChannel(new SipFrameDecoder(true));
        assertThrows(DecoderException.class, () -> ch.writeInbound(buf("OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 500000\r\n\r\n")));
        EmbeddedChannel ch2 = new EmbeddedChannel(new SipFrameDecoder(true));
        assertThrows(DecoderException.class, () -> ch2.writeInbound(buf("OPTIONS sip:a@b SIP/2.0\r\nX: " + "y".repeat(70_000))));
    }

    @Test
    void headerNamedLikeContentLengthPrefixIsNotContentLength() {
        EmbeddedChannel ch = new EmbeddedChannel(new SipFrameDecoder(true));
        String m = "OPTIONS sip:a@b SIP/2.0\r\nLx: 9\r\nContent-Length: 2\r\n\r\nab";
        ch.writeInbound(buf(m));
        assertEquals(m, next(ch));
        assertFalse(ch.finish());
    }

    @Test
    void missingContentLengthClosesTheStreamByDefault() {
        EmbeddedChannel ch = new EmbeddedChannel(new SipFrameDecoder(false));
        assertThrows(DecoderException.class, () -> ch.writeInbound(buf("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\n\r\n")));
    }
}
