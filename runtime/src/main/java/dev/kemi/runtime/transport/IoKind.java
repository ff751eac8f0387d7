package dev.kemi.runtime.transport;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * Native epoll (which has SO_REUSEPORT: several UDP channels on one port, one per event loop)
 * when available, else NIO with one channel per UDP socket.
 */
record IoKind(String name, IoHandlerFactory handlers, Class<? extends DatagramChannel> datagram,
              Class<? extends ServerChannel> server, Class<? extends Channel> client, boolean reusePort) {

    static IoKind best() {
        if (Epoll.isAvailable()) {
            return new IoKind("epoll", EpollIoHandler.newFactory(), EpollDatagramChannel.class,
                    EpollServerSocketChannel.class, EpollSocketChannel.class, true);
        }
        return nio();
    }

    static IoKind nio() {
        return new IoKind("nio", NioIoHandler.newFactory(), NioDatagramChannel.class,
                NioServerSocketChannel.class, NioSocketChannel.class, false);
    }
}
