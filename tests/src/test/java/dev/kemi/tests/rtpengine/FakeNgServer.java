package dev.kemi.tests.rtpengine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An ng endpoint that records what it is sent (the bencoded dictionary after the cookie) and
 * answers like rtpengine: pong to ping, a fixed SDP to offer/answer, ok to the rest.
 */
final class FakeNgServer implements AutoCloseable {

    static final String SDP = "v=0\r\no=- 1 1 IN IP4 127.0.61.5\r\ns=-\r\nc=IN IP4 127.0.61.5\r\nt=0 0\r\n"
            + "m=audio 31000 RTP/AVP 0\r\n";

    private final DatagramSocket socket;
    private final List<String> requests = new ArrayList<>();
    private final Thread thread;
    /** Answers pings only: an instance that passed the start-up check and then went quiet. */
    volatile boolean silent;

    FakeNgServer(String host) {
        try {
            socket = new DatagramSocket(new InetSocketAddress(host, 0));
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
        thread = Thread.ofVirtual().start(this::serve);
    }

    String sock() {
        return "udp:" + socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
    }

    private void serve() {
        byte[] buf = new byte[65536];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (IOException e) {
                return;
            }
            String text = new String(buf, 0, p.getLength(), StandardCharsets.ISO_8859_1);
            int space = text.indexOf(' ');
            String cookie = text.substring(0, space);
            String dict = text.substring(space + 1);
            String reply;
            if (dict.contains("7:command4:ping")) {
                reply = "d6:result4:ponge";
            } else if (silent) {
                continue;
            } else {
                synchronized (requests) {
                    requests.add(dict);
                    requests.notifyAll();
                }
                reply = dict.contains("7:command5:offer") || dict.contains("7:command6:answer")
                        ? "d3:sdp" + SDP.length() + ":" + SDP + "6:result2:oke" : "d6:result2:oke";
            }
            byte[] out = (cookie + " " + reply).getBytes(StandardCharsets.ISO_8859_1);
            try {
                socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** What was recorded since the last call, emptied. */
    List<String> take() {
        synchronized (requests) {
            List<String> out = new ArrayList<>(requests);
            requests.clear();
            return out;
        }
    }

    @Override
    public void close() {
        socket.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
