package dev.kemi.runtime.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NettyTransportTest {
    private static final InetAddress LO = InetAddress.getLoopbackAddress();
    private static final String MSG = "OPTIONS sip:x SIP/2.0\r\nContent-Length: 0\r\n\r\n";

    record Received(String text, ReceiveInfo from) {}

    private final LinkedBlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
    private NettyTransport transport;

    private List<ListenSocket> start(int lifetime, int maxConnections) throws Exception {
        return start(lifetime, maxConnections, IoKind.best());
    }

    private List<ListenSocket> start(int lifetime, int maxConnections, IoKind io) throws Exception {
        TransportConfig cfg = new TransportConfig(List.of(
                new ListenSocket(Protocol.UDP, new InetSocketAddress(LO, 0), null, 0, null),
                new ListenSocket(Protocol.TCP, new InetSocketAddress(LO, 0), null, 0, null)),
                List.of(), 2, 1, lifetime, maxConnections);
        transport = new NettyTransport(cfg, (data, from) -> inbox.add(new Received(new String(data, StandardCharsets.ISO_8859_1), from)), io);
        List<ListenSocket> bound = transport.bind();
        transport.startReading();
        return bound;
    }

    @AfterEach
    void stop() {
        if (transport != null) transport.close();
    }

    private Received next() throws InterruptedException {
        Received r = inbox.poll(5, TimeUnit.SECONDS);
        assertNotNull(r, "nothing received");
        return r;
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void udpReceiveAndReplyFromTheListenPort(String kind) throws Exception {
        IoKind io = kind.equals("nio") ? IoKind.nio() : IoKind.best();
        assertEquals(kind, io.name(), "epoll must be available on the test machine");
        ListenSocket udp = start(120, 10, io).get(0);
        assertTrue(udp.address().getPort() > 0);
        try (DatagramSocket client = new DatagramSocket(0, LO)) {
            client.setSoTimeout(5000);
            byte[] m = MSG.getBytes(StandardCharsets.ISO_8859_1);
            for (int i = 0; i < 20; i++) client.send(new DatagramPacket(m, m.length, udp.address()));
            for (int i = 0; i < 20; i++) {
                Received r = next();
                assertEquals(MSG, r.text());
                assertEquals(client.getLocalPort(), r.from().source().getPort());
                assertEquals(udp, r.from().socket());
            }
            assertTrue(transport.send(Destination.of(Protocol.UDP, (InetSocketAddress) client.getLocalSocketAddress()),
                    "pong".getBytes(StandardCharsets.ISO_8859_1), null));
            DatagramPacket p = new DatagramPacket(new byte[100], 100);
            client.receive(p);
            assertEquals("pong", new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1));
            assertEquals(udp.address(), p.getSocketAddress());
        }
    }

    /** Kamailio's default tos (IPTOS_LOWDELAY) on every UDP socket, as a capture of its packets shows. */
    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void udpSocketsHaveKamailiosTos(String kind) throws Exception {
        ListenSocket udp = start(120, 10, kind.equals("nio") ? IoKind.nio() : IoKind.best()).get(0);
        List<Integer> tos = transport.udpTos(udp);
        assertFalse(tos.isEmpty());
        for (int t : tos) assertEquals(0x10, t);
    }

    @Test
    void largeDatagramArrivesWhole() throws Exception {
        ListenSocket udp = start(120, 10).get(0);
        String big = "MESSAGE sip:x SIP/2.0\r\nContent-Length: 8000\r\n\r\n" + "x".repeat(8000);
        try (DatagramSocket client = new DatagramSocket(0, LO)) {
            byte[] m = big.getBytes(StandardCharsets.ISO_8859_1);
            client.send(new DatagramPacket(m, m.length, udp.address()));
            assertEquals(big, next().text(), "not cut at Netty's default 2048-byte datagram buffer");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void tcpResponsesGoBackOverTheSameConnection(String kind) throws Exception {
        ListenSocket tcp = start(120, 10, kind.equals("nio") ? IoKind.nio() : IoKind.best()).get(1);
        try (Socket client = new Socket(LO, tcp.address().getPort())) {
            client.setSoTimeout(5000);
            client.getOutputStream().write((MSG + MSG).getBytes(StandardCharsets.ISO_8859_1));
            Received r = next();
            assertEquals(MSG, r.text());
            assertEquals(MSG, next().text());
            assertEquals(client.getLocalSocketAddress(), r.from().source());
            assertTrue(transport.send(new Destination(Protocol.TCP, r.from().source(), r.from().socket(), true, false),
                    "pong".getBytes(StandardCharsets.ISO_8859_1), null));
            assertEquals("pong", new String(client.getInputStream().readNBytes(4), StandardCharsets.ISO_8859_1));
            assertEquals(1, transport.tcpConnectionCount());
        }
    }

    /** A stateless reply names the request's connection (Via ;i=): it goes there, whatever the address says. */
    @Test
    void tcpSendsOverTheConnectionWithThatId() throws Exception {
        ListenSocket tcp = start(120, 10).get(1);
        try (Socket client = new Socket(LO, tcp.address().getPort())) {
            client.setSoTimeout(5000);
            client.getOutputStream().write(MSG.getBytes(StandardCharsets.ISO_8859_1));
            Received r = next();
            assertTrue(r.from().connectionId() > 0, "a TCP message carries its connection id");
            InetSocketAddress elsewhere = new InetSocketAddress(LO, 9); // nobody listens: a connect would fail
            Destination viaSays = new Destination(Protocol.TCP, elsewhere, null, false, false);
            assertTrue(transport.send(viaSays.overConnection(r.from().connectionId()), "pong".getBytes(StandardCharsets.ISO_8859_1), null));
            assertEquals("pong", new String(client.getInputStream().readNBytes(4), StandardCharsets.ISO_8859_1));
            assertEquals(1, transport.tcpConnectionCount());
        }
    }

    @Test
    void tcpConnectsOnDemandAndReusesTheConnectionForRequestsFromThePeer() throws Exception {
        start(120, 10);
        try (ServerSocket peer = new ServerSocket(0, 5, LO)) {
            InetSocketAddress peerAddr = (InetSocketAddress) peer.getLocalSocketAddress();
            assertFalse(transport.send(new Destination(Protocol.TCP, peerAddr, null, true, false), new byte[1], null),
                    "no_connect must not open a connection");
            assertTrue(transport.send(Destination.of(Protocol.TCP, peerAddr), MSG.getBytes(StandardCharsets.ISO_8859_1), null));
            try (Socket accepted = peer.accept()) {
                accepted.setSoTimeout(5000);
                assertEquals(MSG, new String(accepted.getInputStream().readNBytes(MSG.length()), StandardCharsets.ISO_8859_1));
                accepted.getOutputStream().write(MSG.getBytes(StandardCharsets.ISO_8859_1));
                Received r = next();
                assertEquals(peerAddr, r.from().source());
                assertTrue(transport.send(new Destination(Protocol.TCP, peerAddr, null, true, true), "bye".getBytes(StandardCharsets.ISO_8859_1), null));
                InputStream in = accepted.getInputStream();
                assertEquals("bye", new String(in.readNBytes(3), StandardCharsets.ISO_8859_1));
                assertEquals(-1, in.read(), "close flag closes the connection after sending");
            }
        }
    }

    /** As Kamailio: a connect refused at once (loopback) fails the send itself, on both transports. */
    @ParameterizedTest
    @ValueSource(strings = {"best", "nio"})
    void refusedConnectFailsTheSend(String kind) throws Exception {
        start(120, 10, kind.equals("nio") ? IoKind.nio() : IoKind.best());
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, LO)) {
            closedPort = s.getLocalPort();
        }
        for (int i = 0; i < 20; i++) {
            assertFalse(transport.send(Destination.of(Protocol.TCP, new InetSocketAddress(LO, closedPort)), new byte[] {1}, null),
                    "attempt " + i);
        }
    }

    @Test
    void idleConnectionsAreClosedAndTheLimitHolds() throws Exception {
        ListenSocket tcp = start(1, 1).get(1);
        try (Socket first = new Socket(LO, tcp.address().getPort()); Socket second = new Socket(LO, tcp.address().getPort())) {
            first.setSoTimeout(5000);
            second.setSoTimeout(5000);
            assertEquals(-1, second.getInputStream().read(), "over tcp_max_connections: closed at once");
            assertEquals(-1, first.getInputStream().read(), "idle beyond tcp_connection_lifetime: closed");
        }
    }
}
