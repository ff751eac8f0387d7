package dev.kemi.tests.rtpproxy;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A UDP man-in-the-middle between rtpproxy clients and the relay that records every command and
 * reply, so tests can assert on what went over the wire. One upstream socket per client, since
 * each Kamailio process talks over its own connected socket.
 */
final class ControlTap implements AutoCloseable {

    private final DatagramSocket front;
    private final InetSocketAddress relay;
    private final Map<SocketAddress, DatagramSocket> upstreams = new ConcurrentHashMap<>();
    final List<String> commands = new CopyOnWriteArrayList<>();
    final List<String> replies = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    ControlTap(InetSocketAddress relay) throws IOException {
        this.relay = relay;
        this.front = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        Thread.ofPlatform().daemon().name("tap-front").start(this::pumpFront);
    }

    int port() {
        return front.getLocalPort();
    }

    /** Commands without their cookie. */
    List<String> commandsWithoutCookie() {
        return commands.stream().map(ControlTap::stripCookie).toList();
    }

    static String stripCookie(String datagram) {
        int space = datagram.indexOf(' ');
        return space < 0 ? datagram : datagram.substring(space + 1).strip();
    }

    private void pumpFront() {
        byte[] buf = new byte[4096];
        while (!closed) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                front.receive(p);
                commands.add(new String(buf, 0, p.getLength(), StandardCharsets.US_ASCII));
                SocketAddress client = p.getSocketAddress();
                DatagramSocket up = upstreams.computeIfAbsent(client, this::openUpstream);
                up.send(new DatagramPacket(buf, p.getLength(), relay));
            } catch (IOException e) {
                if (!closed) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private DatagramSocket openUpstream(SocketAddress client) {
        try {
            DatagramSocket up = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
            Thread.ofPlatform().daemon().name("tap-up").start(() -> pumpBack(up, client));
            return up;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void pumpBack(DatagramSocket up, SocketAddress client) {
        byte[] buf = new byte[4096];
        while (!closed) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                up.receive(p);
                replies.add(new String(buf, 0, p.getLength(), StandardCharsets.US_ASCII));
                front.send(new DatagramPacket(buf, p.getLength(), client));
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        front.close();
        upstreams.values().forEach(DatagramSocket::close);
    }
}
