package dev.kemi.runtime.rtpproxy;

import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetAddress;
import java.net.Inet6Address;
import java.util.concurrent.ThreadFactory;

/** Native epoll where available (Linux), NIO otherwise; unix control sockets need epoll. */
final class NettyTransport {

    private final boolean epoll = Epoll.isAvailable();

    EventLoopGroup newGroup(int threads, ThreadFactory threadFactory) {
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, threadFactory, io);
    }

    /** A datagram channel factory for sockets bound to {@code address}'s family. */
    ChannelFactory<DatagramChannel> datagram(InetAddress address) {
        if (epoll) {
            return EpollDatagramChannel::new;
        }
        SocketProtocolFamily family = address instanceof Inet6Address
                ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
        return () -> new NioDatagramChannel(family);
    }

    ChannelFactory<? extends ServerChannel> unixServer() {
        if (!epoll) {
            throw new IllegalStateException("unix control sockets need the native epoll transport (Linux)");
        }
        return EpollServerDomainSocketChannel::new;
    }

    boolean isEpoll() {
        return epoll;
    }
}
