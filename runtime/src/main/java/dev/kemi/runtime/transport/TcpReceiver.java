package dev.kemi.runtime.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands framed messages of one connection to the sink; closes idle and unframeable connections.
 * Idle closes and TLS handshakes that timed out (a peer that connects and sends nothing, or
 * stops inside its ClientHello) count as Kamailio's tcp:con_timeout.
 */
final class TcpReceiver extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(TcpReceiver.class);
    private static final SourceWarnings warnings = new SourceWarnings(log);
    private final ListenSocket socket;
    private final InboundSink sink;
    private final BooleanSupplier transportReading;
    private final LongAdder timeouts;
    private ReceiveInfo from;
    private Runnable resume;

    /** @param transportReading false once the transport stopped reading: a paused connection then stays paused */
    TcpReceiver(ListenSocket socket, InboundSink sink, BooleanSupplier transportReading, LongAdder timeouts) {
        this.socket = socket;
        this.sink = sink;
        this.transportReading = transportReading;
        this.timeouts = timeouts;
    }

    /** The listener (or local socket) this connection belongs to. */
    ListenSocket socket() {
        return socket;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Integer id = ctx.channel().attr(TcpConnections.ID).get();
        from = new ReceiveInfo((InetSocketAddress) ctx.channel().remoteAddress(), socket, id == null ? 0 : id);
        Channel ch = ctx.channel();
        resume = () -> { if (transportReading.getAsBoolean()) ch.config().setAutoRead(true); };
        ctx.fireChannelActive();
    }

    /** Backpressure: while the workers are behind, this connection is not read (its peer's sends block). */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!sink.onStreamMessage((byte[]) msg, from, resume)) ctx.channel().config().setAutoRead(false);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            log.debug("closing idle TCP connection {}", ctx.channel().remoteAddress());
            timeouts.increment();
            ctx.close();
        } else {
            // SniCompletionEvent (no whole ClientHello) and SslHandshakeCompletionEvent are both SslCompletionEvents
            if (evt instanceof SslCompletionEvent c && c.cause() instanceof SslHandshakeTimeoutException) {
                timeouts.increment();
            }
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String peer = String.valueOf(ctx.channel().remoteAddress());
        if (cause instanceof DecoderException && from != null) {
            warnings.warn(from.sourceIp(), "closing TCP connection from " + peer + ": " + cause.getMessage());
        } else {
            log.debug("TCP connection {}: {}", peer, cause.toString());
        }
        ctx.close();
    }
}
