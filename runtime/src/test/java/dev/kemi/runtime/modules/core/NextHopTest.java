package dev.kemi.runtime.modules.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kemi.runtime.modules.sl.InternalErrors;
import dev.kemi.runtime.transport.Protocol;
import org.junit.jupiter.api.Test;

class NextHopTest {
    @Test
    void forcedTargets() {
        assertEquals(new NextHop.Forced(Protocol.TCP, "10.0.0.1", 5070), NextHop.Forced.parse("tcp:10.0.0.1:5070", Protocol.UDP));
        assertEquals(new NextHop.Forced(Protocol.UDP, "10.0.0.1", 0), NextHop.Forced.parse("10.0.0.1", Protocol.UDP));
        assertEquals(new NextHop.Forced(Protocol.UDP, "proxy.example", 5080), NextHop.Forced.parse("proxy.example:5080", Protocol.UDP));
        assertEquals(new NextHop.Forced(Protocol.TCP, "[::1]", 5070), NextHop.Forced.parse("tcp:[::1]:5070", Protocol.UDP));
        assertEquals(new NextHop.Forced(Protocol.UDP, "[::1]", 0), NextHop.Forced.parse("[::1]", Protocol.UDP));
    }

    @Test
    void uriDestinations() throws Exception {
        NextHop h = NextHop.resolve("sip:bob@127.0.0.1;transport=TCP", null, null);
        assertEquals(Protocol.TCP, h.proto());
        assertEquals(5060, h.address().getPort());
        assertEquals(5061, NextHop.resolve("sip:bob@127.0.0.1;transport=tls", null, null).address().getPort());
        assertEquals(Protocol.TLS, NextHop.resolve("sips:bob@127.0.0.1", null, null).proto());
        assertEquals("127.0.0.1", NextHop.resolve("sip:bob@host.invalid;maddr=127.0.0.1", null, null).address().getAddress().getHostAddress());
        assertEquals(Protocol.UDP, NextHop.resolve("sip:127.0.0.1:5090;transport=tcp", null, Protocol.UDP).proto());
        assertEquals(5070, NextHop.resolve("sip:bob@127.0.0.1", new NextHop.Forced(Protocol.TCP, "127.0.0.1", 5070), null)
                .address().getPort());
    }

    @Test
    void unusableDestinationsCarryKamailiosInternalError() throws Exception {
        NextHop.Unusable bad = assertThrows(NextHop.Unusable.class, () -> NextHop.resolve("not a uri", null, null));
        assertEquals(InternalErrors.E_BAD_URI, bad.code);
        NextHop.Unusable unres = assertThrows(NextHop.Unusable.class, () -> NextHop.resolve("sip:x@host.invalid", null, null));
        assertEquals(InternalErrors.E_BAD_ADDRESS, unres.code);
        NextHop.Unusable proto = assertThrows(NextHop.Unusable.class, () -> NextHop.resolve("sip:x@127.0.0.1;transport=foo", null, null));
        assertEquals(InternalErrors.E_BAD_ADDRESS, proto.code);
        assertEquals(Protocol.UDP, NextHop.protocol(dev.kemi.runtime.sip.SipUri.parse("sip:x@127.0.0.1;transport=foo")));
    }
}
