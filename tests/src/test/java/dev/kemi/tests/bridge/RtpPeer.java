package dev.kemi.tests.bridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/** A phone's media socket: sends small RTP packets and reports where received ones came from. */
public final class RtpPeer implements AutoCloseable {

    /** A received packet's payload and source. */
    public record Packet(String payload, InetSocketAddress source) { }

    private static final int HEADER = 12;
    private final DatagramSocket socket;
    private final int ssrc;
    private short seq;

    public RtpPeer(String host) {
        try {
            socket = new DatagramSocket(new InetSocketAddress(host, 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ssrc = socket.getLocalPort();
    }

    public String host() {
        return socket.getLocalAddress().getHostAddress();
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** One PCMU packet carrying {@code payload}. */
    public void send(String payload, String host, int port) {
        byte[] text = payload.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(HEADER + text.length);
        b.put((byte) 0x80).put((byte) 0).putShort(seq++).putInt(seq * 160).putInt(ssrc).put(text);
        try {
            socket.send(new DatagramPacket(b.array(), b.capacity(), new InetSocketAddress(host, port)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next packet, or null if none arrives within the time. */
    public Packet receive(Duration within) {
        byte[] buf = new byte[2048];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            socket.setSoTimeout((int) within.toMillis());
            socket.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (p.getLength() < HEADER) {
            throw new AssertionError("not an RTP packet: " + Arrays.toString(Arrays.copyOf(buf, p.getLength())));
        }
        return new Packet(new String(buf, HEADER, p.getLength() - HEADER, StandardCharsets.US_ASCII),
                (InetSocketAddress) p.getSocketAddress());
    }

    @Override
    public void close() {
        socket.close();
    }
}
