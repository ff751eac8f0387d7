package dev.kemi.runtime.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;

/** One datagram = one SIP message; CRLF keep-alives are ignored. */
@ChannelHandler.Sharable
final class UdpReceiver extends SimpleChannelInboundHandler<DatagramPacket> {
    private final ListenSocket socket;
    private final InboundSink sink;

    UdpReceiver(ListenSocket socket, InboundSink sink) {
        this.socket = socket;
        this.sink = sink;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
        ByteBuf b = p.content();
        if (isBlank(b)) return;
        byte[] data = new byte[b.readableBytes()];
        b.readBytes(data);
        sink.onMessage(data, new ReceiveInfo(p.sender(), socket));
    }

    private static boolean isBlank(ByteBuf b) {
        for (int i = b.readerIndex(); i < b.writerIndex(); i++) {
            byte c = b.getByte(i);
            if (c != '\r' && c != '\n' && c != ' ' && c != '\t' && c != 0) return false;
        }
        return true;
    }
}
