package dev.kemi.runtime.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands framed messages of one connection to the sink; closes idle and unframeable connections. */
final class TcpReceiver extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(TcpReceiver.class);
    private static final SourceWarnings warnings = new SourceWarnings(log);
    private final ListenSocket socket;
    private final InboundSink sink;
    private ReceiveInfo from;

    TcpReceiver(ListenSocket socket, InboundSink sink) {
        this.socket = socket;
        this.sink = sink;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Integer id = ctx.channel().attr(TcpConnections.ID).get();
        from = new ReceiveInfo((InetSocketAddress) ctx.channel().remoteAddress(), socket, id == null ? 0 : id);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        sink.onMessage((byte[]) msg, from);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            log.debug("closing idle TCP connection {}", ctx.channel().remoteAddress());
            ctx.close();
        } else {
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
