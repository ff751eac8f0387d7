package dev.kemi.runtime.transport;

import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.StreamFramer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import java.util.List;

/**
 * Cuts a SIP stream into messages with {@link StreamFramer} (headers, then Content-Length body
 * bytes; RFC 3261 §18.3) and emits one {@code byte[]} per message. A double-CRLF keep-alive
 * ping is answered with one CRLF (RFC 5626 §3.5.1). A stream that cannot be framed (oversize,
 * bad Content-Length, none unless accepted) raises a {@link DecoderException}: the connection
 * gets closed.
 */
public final class SipFrameDecoder extends ByteToMessageDecoder {
    private static final byte[] PONG = {'\r', '\n'};
    private final boolean acceptNoContentLength;

    /** @param acceptNoContentLength tcp_accept_no_cl: a message without Content-Length has no body */
    public SipFrameDecoder(boolean acceptNoContentLength) {
        this.acceptNoContentLength = acceptNoContentLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int len = in.readableBytes();
        byte[] buf;
        int base;
        if (in.hasArray()) {
            buf = in.array();
            base = in.arrayOffset() + in.readerIndex();
        } else {
            buf = new byte[len];
            in.getBytes(in.readerIndex(), buf);
            base = 0;
        }
        int used = 0;
        while (used < len) {
            long frame;
            try {
                frame = StreamFramer.next(buf, base + used, len - used, acceptNoContentLength);
            } catch (SipParseException e) {
                throw new DecoderException(e.getMessage());
            }
            if (frame == StreamFramer.NEED_MORE) break;
            int skipped = StreamFramer.skipped(frame);
            int length = StreamFramer.length(frame);
            if (hasPing(buf, base + used, skipped)) ctx.writeAndFlush(Unpooled.wrappedBuffer(PONG));
            used += skipped;
            if (length > 0) {
                byte[] msg = new byte[length];
                System.arraycopy(buf, base + used, msg, 0, length);
                out.add(msg);
                used += length;
            }
        }
        in.skipBytes(used);
    }

    private static boolean hasPing(byte[] b, int from, int n) {
        for (int i = from; i + 3 < from + n; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') return true;
        }
        return false;
    }
}
