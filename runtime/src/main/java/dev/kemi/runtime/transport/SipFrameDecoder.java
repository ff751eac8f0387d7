package dev.kemi.runtime.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import java.util.List;

/**
 * Cuts a SIP stream into messages (RFC 3261 §18.3): headers up to the empty line, then exactly
 * Content-Length body bytes. Emits one {@code byte[]} per message. A double CRLF between
 * messages is a keep-alive ping answered with one CRLF (RFC 5626 §3.5.1); single CRLFs are
 * skipped. A message without Content-Length, with a bad one, or larger than the limit is a
 * {@link DecoderException}: the stream can no longer be framed and the connection is closed.
 */
public final class SipFrameDecoder extends ByteToMessageDecoder {
    private static final byte[] PONG = {'\r', '\n'};
    private final int maxMessage;

    /** @param maxMessage largest message (headers + body) accepted, in bytes */
    public SipFrameDecoder(int maxMessage) {
        this.maxMessage = maxMessage;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            if (!skipKeepAlives(ctx, in)) return;
            int start = in.readerIndex();
            int headerEnd = headerEnd(in, start, Math.min(in.writerIndex(), start + maxMessage));
            if (headerEnd < 0) {
                if (in.readableBytes() >= maxMessage) throw new DecoderException("SIP headers longer than " + maxMessage + " bytes");
                return;
            }
            long bodyLength = contentLength(in, start, headerEnd);
            if (bodyLength < 0) throw new DecoderException("no valid Content-Length in a message over a stream");
            long total = (long) (headerEnd - start) + bodyLength;
            if (total > maxMessage) throw new DecoderException("SIP message of " + total + " bytes exceeds " + maxMessage);
            if (in.readableBytes() < total) return;
            byte[] msg = new byte[(int) total];
            in.readBytes(msg);
            out.add(msg);
        }
    }

    /** Consumes CR/LF between messages; false if more bytes are needed to tell a ping from a message. */
    private static boolean skipKeepAlives(ChannelHandlerContext ctx, ByteBuf in) {
        while (in.isReadable()) {
            byte b = in.getByte(in.readerIndex());
            if (b != '\r' && b != '\n') return true;
            if (in.readableBytes() >= 4 && in.getInt(in.readerIndex()) == 0x0D0A0D0A) {
                in.skipBytes(4);
                ctx.writeAndFlush(Unpooled.wrappedBuffer(PONG));
            } else if (b == '\r' && in.readableBytes() < 4) {
                return false; // maybe the start of a ping
            } else {
                in.skipBytes(1);
            }
        }
        return false;
    }

    /** Index just after the empty line ending the headers (CRLFCRLF or bare LFLF), or -1. */
    static int headerEnd(ByteBuf in, int from, int to) {
        for (int i = from; i < to; i++) {
            if (in.getByte(i) != '\n') continue;
            if (i + 1 < to && in.getByte(i + 1) == '\n') return i + 2;
            if (i + 2 < to && in.getByte(i + 1) == '\r' && in.getByte(i + 2) == '\n') return i + 3;
        }
        return -1;
    }

    /** Value of Content-Length ("l" compact) among the header lines in [from, to), or -1. */
    static long contentLength(ByteBuf in, int from, int to) {
        int line = from;
        while (line < to) {
            int eol = in.indexOf(line, to, (byte) '\n');
            if (eol < 0) eol = to;
            int colon = nameEnd(in, line, eol);
            if (colon > 0) {
                int v = colon + 1;
                while (v < eol && isBlank(in.getByte(v))) v++;
                long n = 0;
                int digits = 0;
                while (v < eol && in.getByte(v) >= '0' && in.getByte(v) <= '9' && digits < 10) {
                    n = n * 10 + (in.getByte(v++) - '0');
                    digits++;
                }
                while (v < eol && isBlank(in.getByte(v))) v++;
                return digits > 0 && v == eol ? n : -1;
            }
            line = eol + 1;
        }
        return -1;
    }

    /** Index of the ':' if the line at {@code line} is a Content-Length header, else -1. */
    private static int nameEnd(ByteBuf in, int line, int eol) {
        int i;
        if (matches(in, line, eol, "content-length")) i = line + 14;
        else if (eol - line > 1 && (in.getByte(line) | 0x20) == 'l') i = line + 1;
        else return -1;
        while (i < eol && (in.getByte(i) == ' ' || in.getByte(i) == '\t')) i++;
        return i < eol && in.getByte(i) == ':' ? i : -1;
    }

    private static boolean matches(ByteBuf in, int at, int end, String lowerName) {
        if (end - at < lowerName.length()) return false;
        for (int k = 0; k < lowerName.length(); k++) {
            if ((in.getByte(at + k) | 0x20) != lowerName.charAt(k)) return false;
        }
        return true;
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t' || b == '\r';
    }
}
