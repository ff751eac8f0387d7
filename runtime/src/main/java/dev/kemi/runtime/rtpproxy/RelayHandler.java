package dev.kemi.runtime.rtpproxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/**
 * Reads datagrams on one leg and forwards them, buffer untouched, out of the opposite leg's
 * socket to that leg's party. Writes are flushed once per read batch.
 */
final class RelayHandler extends ChannelInboundHandlerAdapter {

    private final RelaySession session;
    private final Leg in;
    private final Leg out;
    private final RelayStats stats;
    private Channel pendingFlush;

    RelayHandler(RelaySession session, Leg in, Leg out, RelayStats stats) {
        this.session = session;
        this.in = in;
        this.out = out;
        this.stats = stats;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        stats.packetsReceived.increment();
        if (!in.admit(packet.sender())) {
            drop(packet); // a stranger's packets do not keep the session alive
            return;
        }
        session.touch();
        in.packetsIn++;
        InetSocketAddress target = out.remote;
        Channel channel = out.channel;
        if (target == null || channel == null || out.onHold) {
            drop(packet);
            return;
        }
        // the content changes owner: the outbound packet releases it once written
        channel.write(new DatagramPacket(packet.content(), target), channel.voidPromise());
        pendingFlush = channel;
        in.relayed++;
        stats.packetsRelayed.increment();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Channel channel = pendingFlush;
        if (channel != null) {
            pendingFlush = null;
            channel.flush();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // ICMP port unreachable and the like: keep relaying
    }

    private void drop(DatagramPacket packet) {
        in.dropped++;
        stats.packetsDropped.increment();
        packet.release();
    }
}
