package dev.kemi.tests.nathelper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A user agent on one UDP socket of 127.0.60.0/24: what it sends says where it is, or (NATed) somewhere else. */
final class Ua implements AutoCloseable {
    private final DatagramSocket socket;

    Ua(String ip) {
        try {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(ip), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String hostPort() {
        return socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
    }

    void send(InetSocketAddress to, String msg) {
        byte[] b = msg.getBytes(StandardCharsets.ISO_8859_1);
        try {
            socket.send(new DatagramPacket(b, b.length, to));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next datagram, or null when none comes in time. */
    String receive(Duration timeout) {
        byte[] buf = new byte[65535];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            socket.receive(p);
            return new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1);
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next datagram that starts with prefix (others skipped), or null within the timeout. */
    String await(String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String m = receive(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
            if (m != null && m.startsWith(prefix)) return m;
        }
        return null;
    }

    /** The first value of a header, or null. */
    static String header(String msg, String name) {
        for (String line : msg.split("\r\n")) {
            if (line.isEmpty()) break;
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) return line.substring(name.length() + 1).strip();
        }
        return null;
    }

    static String body(String msg) {
        int i = msg.indexOf("\r\n\r\n");
        return i < 0 ? "" : msg.substring(i + 4);
    }

    /** A 200 to a received request (Via, From, To with a tag, Call-ID, CSeq copied). */
    static String ok(String request) {
        StringBuilder b = new StringBuilder("SIP/2.0 200 OK\r\n");
        for (String line : request.split("\r\n")) {
            if (line.isEmpty()) break;
            String l = line.toLowerCase(java.util.Locale.ROOT);
            if (l.startsWith("via:") || l.startsWith("from:") || l.startsWith("call-id:") || l.startsWith("cseq:")) b.append(line).append("\r\n");
            else if (l.startsWith("to:")) b.append(line).append(line.contains(";tag=") ? "" : ";tag=ua").append("\r\n");
        }
        return b.append("Content-Length: 0\r\n\r\n").toString();
    }

    @Override
    public void close() {
        socket.close();
    }
}
