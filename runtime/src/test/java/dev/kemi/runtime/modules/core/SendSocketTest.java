package dev.kemi.runtime.modules.core;

import static dev.kemi.runtime.modules.TestSupport.ctx;
import static dev.kemi.runtime.modules.TestSupport.invite;
import static dev.kemi.runtime.modules.TestSupport.socket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.TestSupport.FakeServices;
import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.transport.Protocol;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Kamailio's get_send_socket order: forced, mhomed route (UDP), receiving UDP socket, first of the protocol. */
class SendSocketTest {
    private final ListenSocket udpA = socket(Protocol.UDP, "127.0.0.1", 5060);
    private final ListenSocket udpB = socket(Protocol.UDP, "127.0.0.2", 5060);
    private final ListenSocket tcpA = socket(Protocol.TCP, "127.0.0.1", 5060);
    private final ListenSocket tcpB = socket(Protocol.TCP, "127.0.0.2", 5060);
    private final InetAddress peer = InetAddress.getLoopbackAddress();

    @Test
    void udpLeavesFromTheReceivingSocketTcpFromTheFirst() {
        FakeServices svc = new FakeServices(udpA, udpB, tcpA, tcpB);
        MessageContext c = ctx(svc, invite(), 1, "127.0.0.9", 5070);
        assertEquals(udpB, SendSocket.select(c, Protocol.UDP, peer));
        assertEquals(tcpA, SendSocket.select(c, Protocol.TCP, peer));
    }

    @Test
    void forcedSocketWinsAndItsTwinServesTheOtherProtocol() {
        FakeServices svc = new FakeServices(udpA, udpB, tcpA, tcpB);
        MessageContext c = ctx(svc, invite(), 0, "127.0.0.9", 5070);
        assertEquals(1, new CoreModule().force_send_socket(c, "udp:127.0.0.2:5060"));
        assertEquals(udpB, SendSocket.select(c, Protocol.UDP, peer));
        assertEquals(tcpB, SendSocket.select(c, Protocol.TCP, peer));
        assertEquals(-1, new CoreModule().force_send_socket(c, "udp:127.0.0.7:5060"));
        assertEquals(udpB, SendSocket.get(c));
    }

    @Test
    void mhomedRouteComesBeforeTheReceivingSocket() {
        FakeServices svc = new FakeServices(udpA, udpB);
        svc.routed = udpA;
        MessageContext c = ctx(svc, invite(), 1, "127.0.0.9", 5070);
        assertEquals(udpA, SendSocket.select(c, Protocol.UDP, peer));
    }

    @Test
    void parsesProtoHostPortForms() {
        FakeServices svc = new FakeServices(udpA, udpB, tcpA);
        MessageContext c = ctx(svc, invite());
        assertEquals(udpB, SendSocket.parse(c, "127.0.0.2"));
        assertEquals(tcpA, SendSocket.parse(c, "tcp:127.0.0.1:5060"));
        assertEquals(udpA, SendSocket.parse(c, "udp:127.0.0.1"));
        assertNull(SendSocket.parse(c, "udp:127.0.0.1:5099"));
    }
}
