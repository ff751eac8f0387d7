package dev.kemi.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** One UDP socket on 127.0.0.1: each datagram is one message. */
public final class UdpSipClient implements SipClient {
    private final DatagramSocket socket;
    private final InetSocketAddress proxy;

    UdpSipClient(InetSocketAddress proxy) {
        this(proxy, InetAddress.getLoopbackAddress());
    }

    /** Bound to another loopback address (e.g. 127.0.22.9), to be a distinct source. */
    public UdpSipClient(InetSocketAddress proxy, InetAddress local) {
        this.proxy = proxy;
        try {
            socket = new DatagramSocket(new InetSocketAddress(local, 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String transport() {
        return "UDP";
    }

    @Override
    public String localHost() {
        return socket.getLocalAddress().getHostAddress();
    }

    @Override
    public int localPort() {
        return socket.getLocalPort();
    }

    @Override
    public void sendBytes(byte[] data) {
        try {
            socket.send(new DatagramPacket(data, data.length, proxy));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String receive(Duration timeout) {
        byte[] buf = new byte[65535];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            socket.receive(p);
            return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
