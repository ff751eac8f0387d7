package dev.kemi.runtime.modules.tm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        assertEquals(Protocol.UDP, NextHop.resolve("sip:127.0.0.1:5090;transport=tcp", null, Protocol.UDP).proto());
        NextHop.TmException bad = assertThrows(NextHop.TmException.class, () -> NextHop.resolve("not a uri", null, null));
        assertEquals(TmErrors.E_BAD_URI, bad.code);
        NextHop.TmException unres = assertThrows(NextHop.TmException.class,
                () -> NextHop.resolve("sip:x@host.invalid", null, null));
        assertEquals(TmErrors.E_BAD_ADDRESS, unres.code);
    }

    @Test
    void replyPriorityFollowsRfc3261() {
        assertTrue(ReplyProcessor.priority(603) < ReplyProcessor.priority(302));
        assertTrue(ReplyProcessor.priority(302) < ReplyProcessor.priority(486));
        assertTrue(ReplyProcessor.priority(407) < ReplyProcessor.priority(404));
        assertTrue(ReplyProcessor.priority(486) < ReplyProcessor.priority(500));
        assertEquals("Unfortunately error on sending to next hop occurred (477/TM)", TmErrors.reason(TmErrors.E_SEND));
    }
}
