package dev.kemi.runtime.rtpproxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.nio.charset.StandardCharsets;

/** Netty handlers of the control sockets; they only move text to and from the control thread. */
final class ControlHandlers {

    /** UDP: one datagram = one cookie-prefixed command. Sharable: it keeps no state. */
    @io.netty.channel.ChannelHandler.Sharable
    static final class Udp extends SimpleChannelInboundHandler<DatagramPacket> {
        private final ControlService service;

        Udp(ControlService service) {
            this.service = service;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            service.onDatagram(ctx.channel(), packet.content().toString(StandardCharsets.US_ASCII), packet.sender());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // a failed send to a vanished client must not close the control socket
        }
    }

    /** Unix stream: one command per connection, answered, then the connection is closed. */
    static final class Stream extends ChannelInboundHandlerAdapter {
        private final ControlService service;
        private final StringBuilder text = new StringBuilder();
        private boolean submitted;

        Stream(ControlService service) {
            this.service = service;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                if (!submitted) {
                    text.append(buf.toString(StandardCharsets.US_ASCII));
                }
            } finally {
                buf.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            // the client writes its command in one go, then waits: what has arrived is the command
            if (!submitted && !text.isEmpty()) {
                submitted = true;
                service.onStreamCommand(text.toString(), reply -> ctx.writeAndFlush(
                        io.netty.buffer.ByteBufUtil.writeAscii(ctx.alloc(), reply))
                        .addListener(ChannelFutureListener.CLOSE));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private ControlHandlers() {
    }
}
