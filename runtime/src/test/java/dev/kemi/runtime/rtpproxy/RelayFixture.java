package dev.kemi.runtime.rtpproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** A relay on loopback with a random media port range and a UDP control client. */
final class RelayFixture implements AutoCloseable {

    static final int RANGE = 400;

    final RtpProxyServer server;
    final int portMin;
    final int portMax;
    private final DatagramSocket control;
    private final AtomicInteger seq = new AtomicInteger();

    private RelayFixture(RtpProxyServer server, int portMin, int portMax) throws IOException {
        this.server = server;
        this.portMin = portMin;
        this.portMax = portMax;
        this.control = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        control.setSoTimeout(2000);
        control.connect(server.udpControlAddresses().getFirst());
    }

    /** {@code listen}/{@code advertised} in -l/-A syntax (null = not given), TTL in seconds. */
    static RelayFixture start(String listen, String advertised, int ttl) throws IOException {
        int base = 20000 + 2 * ThreadLocalRandom.current().nextInt(5000 - RANGE);
        RtpProxyOptions options = RtpProxyOptions.defaults(ControlSocket.udp("127.0.0.1", 0))
                .withPorts(base, base + RANGE - 1)
                .withTtl(ttl);
        if (listen != null) {
            options = options.withListen(listen);
        }
        if (advertised != null) {
            options = options.withAdvertised(advertised);
        }
        RtpProxyServer server = new RtpProxyServer(options);
        server.start();
        return new RelayFixture(server, base, base + RANGE - 1);
    }

    /** Sends a command with a fresh cookie and returns the reply without cookie and newline. */
    String command(String command) throws IOException {
        return command("c" + seq.incrementAndGet() + "_" + ThreadLocalRandom.current().nextInt(1_000_000), command);
    }

    String command(String cookie, String command) throws IOException {
        send(cookie + " " + command);
        String reply = receive();
        assertTrue(reply.startsWith(cookie + " "), "reply carries the cookie: " + reply);
        assertTrue(reply.endsWith("\n"), "reply ends with a newline: " + reply);
        return reply.substring(cookie.length() + 1, reply.length() - 1);
    }

    void send(String datagram) throws IOException {
        byte[] b = datagram.getBytes(StandardCharsets.US_ASCII);
        control.send(new DatagramPacket(b, b.length));
    }

    String receive() throws IOException {
        byte[] buf = new byte[2048];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        control.receive(p);
        return new String(buf, 0, p.getLength(), StandardCharsets.US_ASCII);
    }

    /** The port of a U/L reply ("port" or "port addr [6]"). */
    static int port(String reply) {
        return Integer.parseInt(reply.split(" ")[0]);
    }

    @Override
    public void close() {
        control.close();
        server.stop();
    }

    /** A media endpoint (one UA's RTP socket) on a loopback address. */
    static final class Endpoint implements AutoCloseable {
        final DatagramSocket socket;

        Endpoint(String address) throws IOException {
            socket = new DatagramSocket(new InetSocketAddress(address, 0));
            socket.setSoTimeout(2000);
        }

        int port() {
            return socket.getLocalPort();
        }

        String host() {
            return socket.getLocalAddress().getHostAddress();
        }

        void sendTo(String host, int port, String payload) throws IOException {
            byte[] b = payload.getBytes(StandardCharsets.US_ASCII);
            socket.send(new DatagramPacket(b, b.length, InetAddress.getByName(host), port));
        }

        /** The next datagram as "payload" with its source, or null after {@code timeoutMillis}. */
        Received receive(int timeoutMillis) throws IOException {
            socket.setSoTimeout(timeoutMillis);
            byte[] buf = new byte[2048];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                return null;
            }
            return new Received(new String(buf, 0, p.getLength(), StandardCharsets.US_ASCII),
                    (InetSocketAddress) p.getSocketAddress());
        }

        Received expect(String payload) throws IOException {
            Received r = receive(2000);
            assertTrue(r != null, "expected datagram '" + payload + "'");
            assertEquals(payload, r.payload());
            return r;
        }

        void expectNothing(int millis) throws IOException {
            Received r = receive(millis);
            assertTrue(r == null, "expected no datagram, got " + r);
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    record Received(String payload, InetSocketAddress source) { }

    static List<String> split(String reply) {
        return List.of(reply.split(" "));
    }
}
