package dev.kemi.runtime.transport.ws;

import dev.kemi.runtime.transport.InboundSink;
import dev.kemi.runtime.transport.ReceiveInfo;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIP over WebSocket (RFC 7118) on one upgraded connection: each text or binary message is one
 * SIP message for the sink; Ping is answered with Pong; Close ends the connection. Outbound, a
 * SIP message (a ByteBuf written by the transport) becomes one frame, text when it is UTF-8
 * and binary otherwise, as Kamailio chooses. A bad or oversized frame closes this connection
 * only (1002 / 1009), counted as a local close.
 */
final class WsFrameHandler extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(WsFrameHandler.class);
    private static final byte[] CRLF = {'\r', '\n'};
    private final WsSession session;
    private final WsCounters counters;
    private final InboundSink sink;
    private final ReceiveInfo from;
    private final Runnable resume;

    WsFrameHandler(WsSession session, WsCounters counters, InboundSink sink, ReceiveInfo from, Runnable resume) {
        this.session = session;
        this.counters = counters;
        this.sink = sink;
        this.from = from;
        this.resume = resume;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        WebSocketFrame frame = (WebSocketFrame) msg;
        try {
            session.touch();
            boolean data = frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame;
            counters.frameIn(data);
            if (data) {
                byte[] bytes = ByteBufUtil.getBytes(frame.content());
                if (isCrlf(bytes)) {
                    // RFC 5626 keepalive inside a frame: a double CRLF is answered with one, a single one is dropped
                    if (bytes.length == 4) ctx.channel().writeAndFlush(Unpooled.wrappedBuffer(CRLF));
                    return;
                }
                if (!sink.onStreamMessage(bytes, from, resume)) ctx.channel().config().setAutoRead(false);
            } else if (frame instanceof PingWebSocketFrame) {
                ctx.channel().writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
            } else if (frame instanceof PongWebSocketFrame) {
                session.ponged();
            } else if (frame instanceof CloseWebSocketFrame) {
                session.remoteClose();
            }
        } finally {
            frame.release();
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            counters.frameOut(true);
            msg = Utf8.valid(buf) ? new TextWebSocketFrame(buf) : new BinaryWebSocketFrame(buf);
            promise.addListener(f -> { if (!f.isSuccess()) counters.sendFailed(); });
        } else if (msg instanceof WebSocketFrame) {
            counters.frameOut(false);
        }
        ctx.write(msg, promise);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            log.debug("closing idle WebSocket connection {}", ctx.channel().remoteAddress());
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException || cause.getCause() instanceof TooLongFrameException) {
            log.warn("WebSocket connection {}: {}: closing", ctx.channel().remoteAddress(), cause.getMessage());
            session.failFrame(1009, "Message Too Big");
        } else if (cause instanceof CorruptedWebSocketFrameException e) {
            log.warn("WebSocket connection {}: {}: closing", ctx.channel().remoteAddress(), cause.getMessage());
            boolean tooBig = e.closeStatus() != null && e.closeStatus().code() == 1009;
            session.failFrame(tooBig ? 1009 : 1002, tooBig ? "Message Too Big" : "Protocol Error");
        } else if (cause instanceof CorruptedFrameException) {
            session.failFrame(1002, "Protocol Error");
        } else {
            log.debug("WebSocket connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    private static boolean isCrlf(byte[] b) {
        return (b.length == 2 || b.length == 4) && b[0] == '\r' && b[1] == '\n'
                && (b.length == 2 || b[2] == '\r' && b[3] == '\n');
    }
}
