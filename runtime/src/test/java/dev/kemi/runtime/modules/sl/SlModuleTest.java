package dev.kemi.runtime.modules.sl;

import static dev.kemi.runtime.modules.TestSupport.ctx;
import static dev.kemi.runtime.modules.TestSupport.invite;
import static dev.kemi.runtime.modules.TestSupport.socket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.api.FunctionTable;
import dev.kemi.api.Module;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.TestSupport.FakeServices;
import dev.kemi.runtime.modules.TestSupport.Sent;
import dev.kemi.runtime.modules.hdr.HdrModule;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.transport.Protocol;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlModuleTest {
    private final SlModule sl = new SlModule();
    private final FakeServices svc = new FakeServices(socket(Protocol.UDP, "127.0.0.1", 5080), socket(Protocol.TCP, "127.0.0.1", 5080));

    @Test
    void replyToSourcePortWithRport() throws Exception {
        MessageContext c = ctx(svc, invite(), 0, "127.0.0.2", 6000);
        assertEquals(1, sl.sl_send_reply(c, 404, "Not here"));
        assertTrue(c.replied());
        Sent s = svc.last();
        assertEquals(6000, s.dst().address().getPort());
        assertEquals(svc.sockets.get(0), s.dst().socket());
        SipMessage r = s.parsed();
        assertEquals(404, r.status());
        assertEquals("Not here", r.reason());
        assertEquals("call-1@127.0.0.2", r.callId());
        assertEquals("6000", r.topVia().params().get("rport"));
        assertEquals("127.0.0.2", r.topVia().received());
        assertTrue(r.to().tag() != null && !r.to().tag().isEmpty());
        assertEquals("kemi (0.1.0)", r.header("Server"));
        assertTrue(s.text().startsWith("SIP/2.0 404 Not here\r\nVia: SIP/2.0/UDP 127.0.0.2:5070;branch=z9hG4bK-abc;rport=6000;received=127.0.0.2\r\n"),
                s.text());
    }

    @Test
    void replyToViaPortWithoutRport() {
        MessageContext c = ctx(svc, invite().replace(";rport", ""), 0, "127.0.0.2", 6000);
        sl.sl_send_reply(c, 200, "OK");
        assertEquals(5070, svc.last().dst().address().getPort());
        assertFalse(svc.last().text().contains("received="));
        MessageContext forced = ctx(svc, invite().replace(";rport", ""), 0, "127.0.0.2", 6000);
        forced.setForceRport(true);
        sl.sl_send_reply(forced, 200, "OK");
        assertEquals(6000, svc.last().dst().address().getPort());
    }

    @Test
    void tcpRepliesGoBackToTheSource() {
        MessageContext c = ctx(svc, invite().replace("UDP", "TCP").replace(";rport", ""), 1, "127.0.0.2", 40000);
        c.setReplyClose(true);
        sl.sl_send_reply(c, 486, "Busy Here");
        Sent s = svc.last();
        assertEquals(Protocol.TCP, s.dst().proto());
        assertEquals(40000, s.dst().address().getPort());
        assertTrue(s.dst().close());
    }

    @Test
    void toTagOnlyFrom180AndStable() throws Exception {
        sl.sl_send_reply(ctx(svc, invite()), 100, "Trying");
        assertNull(svc.last().parsed().to().tag());
        sl.sl_send_reply(ctx(svc, invite()), 180, "Ringing");
        String t1 = svc.last().parsed().to().tag();
        sl.sl_send_reply(ctx(svc, invite()), 486, "Busy Here");
        assertEquals(t1, svc.last().parsed().to().tag());
        sl.sl_send_reply(ctx(svc, invite().replace("To: <sip:bob@127.0.0.1>", "To: <sip:bob@127.0.0.1>;tag=given")), 404, "x");
        assertEquals("given", svc.last().parsed().to().tag());
    }

    @Test
    void ackIsNeverAnswered() {
        String ack = invite().replace("INVITE sip", "ACK sip").replace("CSeq: 1 INVITE", "CSeq: 1 ACK");
        assertEquals(-1, sl.sl_send_reply(ctx(svc, ack), 200, "OK"));
        assertTrue(svc.sent.isEmpty());
    }

    @Test
    void redirectListsDestinationSet() {
        MessageContext c = ctx(svc, invite());
        c.msg().setRequestUri("sip:bob@10.0.0.1");
        c.appendBranch("sip:bob@10.0.0.2");
        sl.sl_send_reply(c, 302, "Moved Temporarily");
        assertTrue(svc.last().text().contains("\r\nContact: <sip:bob@10.0.0.1>, <sip:bob@10.0.0.2>\r\n"), svc.last().text());
    }

    @Test
    void scriptHeadersAndServerHeaderSettings() {
        MessageContext c = ctx(svc, invite());
        new HdrModule().append_to_reply(c, "X-A: 1\r\nX-B: 2\r\n");
        svc.globals.put("server_header", "Server: Test Proxy");
        sl.sl_send_reply(c, 403, "Forbidden");
        assertTrue(svc.last().text().contains("\r\nX-A: 1\r\nX-B: 2\r\nServer: Test Proxy\r\nContent-Length: 0\r\n\r\n"),
                svc.last().text());
        svc.globals.put("server_signature", "no");
        sl.sl_send_reply(ctx(svc, invite()), 403, "Forbidden");
        assertFalse(svc.last().text().contains("Server:"));
    }

    /** A stand-in for tm: replies 7 for requests with X-Tx. */
    @Module(value = "tm", loadName = "tm")
    public static final class FakeTm implements StatefulReplier {
        @Override
        public int replyIfTransaction(MessageContext ctx, int code, String reason) {
            return ctx.msg().header("X-Tx") != null ? 7 : NO_TRANSACTION;
        }
    }

    @Test
    void sendReplyUsesTmWhenThereIsATransaction() {
        svc.functions = FunctionTable.build(List.of(new FakeTm(), sl));
        sl.init(svc);
        assertEquals(7, sl.send_reply(ctx(svc, invite("X-Tx: 1")), 200, "OK"));
        assertTrue(svc.sent.isEmpty());
        assertEquals(1, sl.send_reply(ctx(svc, invite()), 200, "OK"));
        assertEquals(1, svc.sent.size());
    }

    @Test
    void sendReplyIsStatelessWithoutTm() {
        svc.functions = FunctionTable.build(List.of(sl));
        sl.init(svc);
        assertEquals(1, sl.send_reply(ctx(svc, invite("X-Tx: 1")), 200, "OK"));
        assertEquals(1, svc.sent.size());
    }

    @Test
    void nativeReplyErrorAnswersTheLastInternalError() throws Exception {
        sl.sl_reply_error_native(ctx(svc, invite()));
        assertEquals("SIP/2.0 500 I'm terribly sorry, server error occurred (1/SL)", firstLine(svc.last()));
        MessageContext failed = ctx(svc, invite());
        InternalErrors.record(failed, InternalErrors.E_SEND);
        assertEquals(1, sl.sl_reply_error_native(failed));
        assertEquals("SIP/2.0 477 Unfortunately error on sending to next hop occurred (477/SL)", firstLine(svc.last()));
        MessageContext unresolvable = ctx(svc, invite());
        InternalErrors.record(unresolvable, InternalErrors.E_BAD_ADDRESS);
        sl.sl_reply_error_native(unresolvable);
        assertEquals("SIP/2.0 478 Unresolvable destination (478/SL)", firstLine(svc.last()));
    }

    @Test
    void kemiReplyErrorIsAlways500() throws Exception {
        MessageContext failed = ctx(svc, invite());
        InternalErrors.record(failed, InternalErrors.E_SEND);
        assertEquals(1, sl.sl_reply_error(failed));
        assertEquals("SIP/2.0 500 I'm terribly sorry, server error occurred (1/SL)", firstLine(svc.last()));
    }

    private static String firstLine(Sent s) {
        return s.text().substring(0, s.text().indexOf("\r\n"));
    }
}
