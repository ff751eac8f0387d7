package dev.kemi.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * A second proxy on a UDP port another one holds fails to start, as Kamailio's bind does; it must
 * not share the port through SO_REUSEPORT and take part of the first one's traffic. A closed proxy
 * gives its port back before close returns.
 */
class PortTakenTest {
    private static final String ROUTE = "loadmodule \"sl\"\nrequest_route { sl_send_reply(\"200\", \"OK\"); }\n";

    @Test
    void secondProxyOnATakenPortFailsToStart() {
        try (ProxyUnderTest first = ProxyUnderTest.startWith(ROUTE)) {
            String cfg = "listen=udp:127.0.0.1:" + first.port() + "\n" + ROUTE;
            RuntimeException e = assertThrows(RuntimeException.class, () -> ProxyUnderTest.start(cfg).close());
            assertTrue(causes(e).contains("cannot bind udp:127.0.0.1:" + first.port()), causes(e));
            try (SipClient c = first.udpClient()) {
                c.send(SipRequests.options(first, c, SipRequests.callId()));
                assertEquals(200, c.expect().status(), "the first proxy still answers");
            }
        }
    }

    @Test
    void closedProxyFreesItsPortAtOnce() throws IOException {
        ProxyUnderTest p = ProxyUnderTest.startWith(ROUTE);
        InetSocketAddress udp = p.address(dev.kemi.runtime.transport.Protocol.UDP);
        p.close();
        try (DatagramSocket again = new DatagramSocket(null)) {
            again.bind(udp); // a plain bind: fails while any socket of ours is still bound there
        } catch (IOException e) {
            throw new UncheckedIOException("port still held after close", e);
        }
    }

    private static String causes(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) b.append(c.getMessage()).append(" | ");
        return b.toString();
    }
}
