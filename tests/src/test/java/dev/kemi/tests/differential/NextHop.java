package dev.kemi.tests.differential;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;

/**
 * The UDP next hop a proxy forwards to: records what arrives (as "next" events) and, when told,
 * answers each request but ACK with a status from a minimal UAS.
 */
final class NextHop implements AutoCloseable {
    private final DatagramSocket socket;
    private final Thread reader;
    private volatile int answer;

    NextHop(String host, BlockingQueue<Wire.Event> events) {
        try {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(host), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        reader = Thread.ofPlatform().daemon().name("next-hop").start(() -> read(events));
    }

    String address() {
        return socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Status to answer requests with from now on; 0: don't answer. */
    void answerWith(int status) {
        answer = status;
    }

    private void read(BlockingQueue<Wire.Event> events) {
        byte[] buf = new byte[65535];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                continue;
            }
            String text = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
            events.add(new Wire.Event("next", text));
            int status = answer;
            if (status > 0 && !text.startsWith("SIP/2.0") && !text.startsWith("ACK ")) {
                byte[] reply = reply(text, status).getBytes(StandardCharsets.UTF_8);
                try {
                    socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                } catch (IOException ignored) {
                    // the proxy went away: the case fails on what it did not get
                }
            }
        }
    }

    /** A reply as a UAS builds it: the request's Vias, From, To (with our tag), Call-ID, CSeq. */
    static String reply(String request, int status) {
        StringBuilder r = new StringBuilder("SIP/2.0 ").append(status).append(status < 300 ? " OK" : " Failed").append("\r\n");
        List<String> kept = new ArrayList<>();
        for (String line : request.substring(0, Math.max(0, request.indexOf("\r\n\r\n"))).split("\r\n")) {
            String n = line.contains(":") ? line.substring(0, line.indexOf(':')).strip().toLowerCase() : "";
            switch (n) {
                case "via", "v", "from", "f", "call-id", "i", "cseq" -> kept.add(line);
                case "to", "t" -> kept.add(line.contains("tag=") ? line : line + ";tag=t-uas");
                default -> { }
            }
        }
        for (String k : kept) r.append(k).append("\r\n");
        return r.append("Content-Length: 0\r\n\r\n").toString();
    }

    @Override
    public void close() {
        socket.close();
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
