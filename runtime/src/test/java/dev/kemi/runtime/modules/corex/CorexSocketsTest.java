package dev.kemi.runtime.modules.corex;

import static dev.kemi.runtime.modules.TestSupport.ctx;
import static dev.kemi.runtime.modules.TestSupport.invite;
import static dev.kemi.runtime.modules.TestSupport.socket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.TestSupport.FakeServices;
import dev.kemi.runtime.modules.core.SendSocket;
import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.transport.Protocol;
import org.junit.jupiter.api.Test;

/** corex's set_*_socket return codes and effects are those of 5.6.3's ki_set_socket_helper. */
class CorexSocketsTest {
    private final ListenSocket a = socket(Protocol.UDP, "127.0.64.1", 5060);
    private final ListenSocket b = socket(Protocol.UDP, "127.0.64.2", 5060);
    private final CorexModule corex = new CorexModule();

    @Test
    void anUnknownSocketIsOnlyWarnedAboutAndReturnsOne() {
        MessageContext c = ctx(new FakeServices(a, b), invite());
        assertEquals(1, corex.set_send_socket(c, "udp:127.0.64.2:5060"));
        assertEquals(b, SendSocket.get(c));
        assertEquals(1, corex.set_send_socket(c, "udp:127.0.64.9:5060"));
        assertEquals(b, SendSocket.get(c), "an unknown socket leaves the forced one as it was");
        assertEquals(1, corex.set_send_socket_name(c, "nosuchname"));
        assertEquals(b, SendSocket.get(c));
    }

    @Test
    void anEmptyValueClearsTheForcedSendSocket() {
        MessageContext c = ctx(new FakeServices(a, b), invite());
        corex.set_send_socket(c, "udp:127.0.64.2:5060");
        assertEquals(1, corex.set_send_socket(c, ""));
        assertNull(SendSocket.get(c));
        corex.set_send_socket(c, "udp:127.0.64.2:5060");
        assertEquals(1, corex.set_recv_socket(c, ""), "Kamailio's recv variant clears the send socket too");
        assertNull(SendSocket.get(c));
        assertEquals(a, c.received().socket());
    }

    @Test
    void onlyABadSpecificationIsMinusOne() {
        MessageContext c = ctx(new FakeServices(a, b), invite());
        assertEquals(-1, corex.set_send_socket(c, "udp:127.0.64.2:port"));
        assertEquals(-1, corex.set_recv_socket(c, "foo:127.0.64.2:5060"));
        assertEquals(1, corex.set_recv_socket(c, "udp:127.0.64.2:5060"));
        assertEquals(b, c.received().socket());
        assertEquals(1, corex.set_recv_socket(c, "udp:127.0.64.7:5060"));
        assertEquals(b, c.received().socket());
    }
}
