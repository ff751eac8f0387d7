package dev.kemi.runtime.modules.kemix;

import static dev.kemi.runtime.modules.TestSupport.ctx;
import static dev.kemi.runtime.modules.TestSupport.invite;
import static dev.kemi.runtime.modules.TestSupport.socket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.TestSupport.FakeServices;
import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.transport.Protocol;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class KemixModuleTest {
    private final KemixModule kx = new KemixModule();

    @Test
    void receiveAndSendSockets() throws Exception {
        ListenSocket adv = new ListenSocket(Protocol.UDP, new InetSocketAddress("127.0.12.1", 5060), "sip.example.com", 5080, "pub");
        FakeServices svc = new FakeServices(adv, socket(Protocol.TCP, "127.0.12.1", 5060));
        MessageContext c = ctx(svc, invite(), 0, "127.0.12.9", 5070);
        assertEquals("udp:127.0.12.1:5060", kx.get_rcvaddr_sock(c));
        assertEquals("pub", kx.get_rcv_sock_name(c));
        assertEquals("sip.example.com", kx.get_rcvadvip(c));
        assertEquals(5080, kx.get_rcvadvport(c));
        assertEquals("udp:127.0.12.9:5070", kx.get_srcaddr_sock(c));
        assertEquals(-1, kx.get_conid(c));
        // nothing forced: null, and port 0
        assertNull(kx.get_send_sock(c));
        assertNull(kx.get_send_sock_name(c));
        assertEquals(0, kx.get_send_sock_port(c));

        MessageContext plain = ctx(svc, invite(), 1, "127.0.12.9", 5070);
        assertEquals("127.0.12.1", kx.get_rcvadvip(plain));
        assertEquals(5060, kx.get_rcvadvport(plain));
        assertNull(kx.get_rcv_sock_name(plain));
    }

    @Test
    void authUserPrefersProxyAuthorization() {
        FakeServices svc = new FakeServices(socket(Protocol.UDP, "127.0.12.1", 5060));
        MessageContext none = ctx(svc, invite());
        assertNull(kx.get_au(none));
        assertEquals("", kx.gete_au(none));
        assertEquals("<null>", kx.getw_au(none));
        MessageContext both = ctx(svc, invite("Authorization: Digest username=\"bob\", realm=\"r\"",
                "Proxy-Authorization: Digest username=\"alice@example.com\", realm=\"r\""));
        assertEquals("alice", kx.get_au(both));
        MessageContext ack = ctx(svc, invite("Proxy-Authorization: Digest username=\"alice\", realm=\"r\"")
                .replace("INVITE sip", "ACK sip").replace("CSeq: 1 INVITE", "CSeq: 1 ACK"));
        assertNull(kx.get_au(ack));
    }
}
