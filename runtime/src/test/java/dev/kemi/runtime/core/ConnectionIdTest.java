package dev.kemi.runtime.core;

import dev.kemi.runtime.transport.ReceiveInfo;
import static dev.kemi.runtime.modules.TestSupport.invite;
import static dev.kemi.runtime.modules.TestSupport.parse;
import static dev.kemi.runtime.modules.TestSupport.socket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.runtime.modules.TestSupport.FakeServices;
import dev.kemi.runtime.modules.core.StatelessForward;
import dev.kemi.runtime.sip.Via;
import dev.kemi.runtime.transport.Protocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ConnectionIdTest {
    private final FakeServices svc = new FakeServices(socket(Protocol.UDP, "127.0.0.1", 5080), socket(Protocol.TCP, "127.0.0.1", 5080));

    @Test
    void requestsFromATcpConnectionNameItInOurViaAsKamailioDoes() throws Exception {
        MessageContext overTcp = new MessageContext(parse(invite().replace("SIP/2.0/UDP", "SIP/2.0/TCP")),
                new ReceiveInfo(new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000), svc.sockets.get(1), 0x1a), svc);
        overTcp.setDstUri("sip:127.0.0.9:5090");
        assertEquals(1, StatelessForward.forward(overTcp, overTcp.dstUri()));
        String text = svc.last().text();
        assertTrue(text.contains("\r\nVia: SIP/2.0/UDP 127.0.0.1:5080;branch=z9hG4bKsl"), text);
        Via ours = svc.last().parsed().vias().get(0);
        assertEquals("a1", ours.params().get("i"), "Kamailio's reversed hex");
        assertEquals(0x1a, ConnectionId.in(ours));
    }

    @Test
    void webSocketRequestsGetNone() throws Exception {
        // 5.6.3 adds ;i= for TCP and TLS only (a browser's INVITE over WSS, seen on the wire)
        MessageContext overWss = new MessageContext(parse(invite().replace("SIP/2.0/UDP", "SIP/2.0/WSS")),
                new ReceiveInfo(new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000), socket(Protocol.WSS, "127.0.0.1", 8443), 0x1a), svc);
        assertEquals(1, StatelessForward.forward(overWss, "sip:127.0.0.9:5090"));
        assertEquals(null, svc.last().parsed().vias().get(0).params().get("i"));
    }

    @Test
    void udpRequestsGetNone() throws Exception {
        MessageContext overUdp = new MessageContext(parse(invite()),
                new ReceiveInfo(new InetSocketAddress(InetAddress.getLoopbackAddress(), 5070), svc.sockets.get(0)), svc);
        assertEquals(1, StatelessForward.forward(overUdp, "sip:127.0.0.9:5090"));
        assertEquals(null, svc.last().parsed().vias().get(0).params().get("i"));
    }

    @Test
    void unreadableIdsAreIgnored() throws Exception {
        assertEquals(0, ConnectionId.in(Via.parse("SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1;i=zz")));
        assertEquals(0, ConnectionId.in(Via.parse("SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1")));
        assertEquals(0x12345, ConnectionId.in(Via.parse("SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1;i=54321")));
    }
}
