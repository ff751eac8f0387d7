package dev.kemi.runtime.transport;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Sends a datagram from the calling worker with sendto(2) on the epoll socket itself. A write
 * through the channel would be queued to the event loop and wake it up, once per message: on
 * loopback tests that hop cost as much CPU as receiving. Datagrams need no ordering with other
 * writes, so the shortcut is safe; it reports false (the caller then writes through the channel)
 * for NIO channels, when the socket buffer is full, or on any error.
 */
final class DirectDatagramSend {
    private static final int MAX = 65_535;
    private static final ThreadLocal<ByteBuffer> BUFFER = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(MAX));

    private DirectDatagramSend() {}

    static boolean send(Channel ch, byte[] message, InetSocketAddress to) {
        if (!(ch instanceof EpollDatagramChannel epoll) || !(epoll.fd() instanceof Socket socket) || message.length > MAX) {
            return false;
        }
        ByteBuffer b = BUFFER.get();
        b.clear();
        b.put(message);
        try {
            return socket.sendTo(b, 0, message.length, to.getAddress(), to.getPort()) == message.length;
        } catch (IOException e) {
            return false;
        }
    }
}
