package dev.kemi.runtime.rtpproxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Hands out RTP/RTCP socket pairs (even port, port + 1) from the configured range, walking it
 * round-robin from a random start (or from the bottom, for runs that must repeat exactly) and
 * skipping ports that are busy. Control thread only.
 */
final class PortAllocator {

    /** rtpproxy's receive buffer size per media socket. */
    private static final int RCVBUF = 256 * 1024;
    /** rtpproxy reads datagrams into 8 KiB buffers too. */
    private static final int MAX_DATAGRAM = 8192;
    private static final int READ_BATCH = 8;

    record PortPair(int port, Channel rtp, Channel rtcp) { }

    private final NettyTransport transport;
    private final int first;
    private final int pairs;
    private final Set<Integer> reserved = new HashSet<>();
    private int next;

    /** @param randomStart start the walk at a random pair, as rtpproxy does; false: at the first pair */
    PortAllocator(NettyTransport transport, int portMin, int portMax, boolean randomStart) {
        this.transport = transport;
        this.first = (portMin + 1) & ~1;
        this.pairs = Math.max(0, (portMax - first + 1) / 2);
        if (pairs == 0) {
            throw new IllegalArgumentException("port range " + portMin + "-" + portMax + " holds no even/odd pair");
        }
        this.next = randomStart ? ThreadLocalRandom.current().nextInt(pairs) : 0;
    }

    /** Keeps {@code port} (a control port inside the media range) out of the pairs. */
    void reserve(int port) {
        reserved.add(port);
    }

    /**
     * Binds a free pair on {@code address}, registered on {@code loop}, with fresh handlers from
     * the suppliers; null if the range is exhausted or the address cannot be bound at all.
     */
    PortPair open(InetAddress address, EventLoop loop, Supplier<ChannelHandler> rtpHandler,
                  Supplier<ChannelHandler> rtcpHandler) {
        for (int i = 0; i < pairs; i++) {
            int port = first + 2 * next;
            next = (next + 1) % pairs;
            if (reserved.contains(port) || reserved.contains(port + 1)) {
                continue;
            }
            ChannelFuture rtp = bind(address, port, loop, rtpHandler.get());
            if (!rtp.isSuccess()) {
                if (inUse(rtp.cause())) {
                    continue;
                }
                return null;
            }
            ChannelFuture rtcp = bind(address, port + 1, loop, rtcpHandler.get());
            if (!rtcp.isSuccess()) {
                rtp.channel().close().awaitUninterruptibly();
                if (inUse(rtcp.cause())) {
                    continue;
                }
                return null;
            }
            return new PortPair(port, rtp.channel(), rtcp.channel());
        }
        return null;
    }

    private ChannelFuture bind(InetAddress address, int port, EventLoop loop, ChannelHandler handler) {
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channelFactory(transport.datagram(address))
                .option(ChannelOption.SO_RCVBUF, RCVBUF)
                .handler(handler);
        if (transport.isEpoll()) {
            // recvmmsg: up to READ_BATCH datagrams per system call, each in a slice of one buffer
            b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
                    .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM * READ_BATCH));
        } else {
            b.option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM));
        }
        return b.bind(new InetSocketAddress(address, port)).awaitUninterruptibly();
    }

    private static boolean inUse(Throwable cause) {
        // like rtpproxy: EADDRINUSE/EACCES move on to the next pair, anything else is fatal
        String message = cause == null ? null : cause.getMessage();
        return message != null && (message.contains("in use") || message.contains("Permission denied"));
    }
}
