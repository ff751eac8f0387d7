package dev.kemi.runtime.modules.rtpproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.TestSupport;
import dev.kemi.runtime.transport.ReceiveInfo;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.transport.Protocol;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The module's exported functions on parsed SIP messages. */
class RtpproxyModuleTest {

    private static final String SDP = "v=0\r\no=alice 1 1 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\n"
            + "m=audio 20000 RTP/AVP 0\r\n";

    private ScriptedRelay relay;
    private RtpproxyModule module;

    @BeforeEach
    void start() throws Exception {
        relay = new ScriptedRelay();
        relay.answer = c -> c.startsWith("U") ? "40000" : c.startsWith("L") ? "40002 192.0.2.1" : "0";
        module = new RtpproxyModule();
        module.rtpproxySock(relay.url());
        module.rtpproxySock("1 == udp:127.0.0.1:9");
        module.rtpproxyTout(1);
        module.rtpproxyRetr(1);
        module.extraIdPv("$ci-x");
        module.init(new TestSupport.FakeServices());
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    private static MessageContext context(String text) throws Exception {
        SipMessage msg = SipMessage.parse(text.getBytes(StandardCharsets.ISO_8859_1));
        ListenSocket socket = new ListenSocket(Protocol.UDP, new InetSocketAddress("10.0.0.1", 5060), null, 0, null);
        return new MessageContext(msg, new ReceiveInfo(new InetSocketAddress("10.0.0.5", 5062), socket), null);
    }

    private static String invite(String body) {
        return "INVITE sip:bob@example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bK-abc\r\n"
                + "From: <sip:alice@example.com>;tag=ftag\r\n"
                + "To: <sip:bob@example.com>\r\n"
                + "Call-ID: mod-1@example\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    @Test
    void offerRewritesTheBodyAndContentLength() throws Exception {
        MessageContext ctx = context(invite(SDP));
        assertEquals(1, module.rtpproxyOffer(ctx, "b"));
        assertEquals(List.of("Uc0 mod-1@example;mod-1@example-x 10.0.0.5 20000 ftag;1"), relay.calls());
        String out = new String(ctx.msg().toBytes(), StandardCharsets.ISO_8859_1);
        String body = out.substring(out.indexOf("\r\n\r\n") + 4);
        // bare port in the reply: the address the INVITE arrived on ($Ri) goes into the SDP
        assertTrue(body.contains("c=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=nortpproxy:yes\r\n"), out);
        assertTrue(out.contains("Content-Length: " + body.length() + "\r\n"), out);
    }

    @Test
    void answerOnlyForRepliesAndAck() throws Exception {
        assertEquals(-1, module.rtpproxyAnswer0(context(invite(SDP))));
        String ok = "SIP/2.0 200 OK\r\n"
                + "Via: SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bK-abc\r\n"
                + "From: <sip:alice@example.com>;tag=ftag\r\n"
                + "To: <sip:bob@example.com>;tag=ttag\r\n"
                + "Call-ID: mod-1@example\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + SDP.length() + "\r\n\r\n" + SDP;
        MessageContext reply = context(ok);
        assertEquals(1, module.rtpproxyAnswer0(reply));
        assertEquals(List.of("Lc0 mod-1@example 10.0.0.5 20000 ftag;1 ttag;1"), relay.calls());
        assertTrue(new String(reply.msg().toBytes(), StandardCharsets.ISO_8859_1).contains("c=IN IP4 192.0.2.1"));
    }

    @Test
    void setSelectsAnotherRelaySetForThisMessageOnly() throws Exception {
        MessageContext ctx = context(invite(SDP));
        assertEquals(-1, module.setRtpproxySet(ctx, 7), "unknown set");
        assertEquals(1, module.setRtpproxySet(ctx, 1));
        // set 1 points nowhere: its only node is disabled since the start
        assertEquals(-3, module.rtpproxyManage0(ctx));
        assertEquals(1, module.rtpproxyManage0(context(invite(SDP))), "default set again for the next message");
    }

    @Test
    void destroyAndItsAlias() throws Exception {
        String bye = "BYE sip:bob@10.0.0.9 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bK-bye\r\n"
                + "From: <sip:alice@example.com>;tag=ftag\r\n"
                + "To: <sip:bob@example.com>;tag=ttag\r\n"
                + "Call-ID: mod-1@example\r\n"
                + "CSeq: 2 BYE\r\n"
                + "Content-Length: 0\r\n\r\n";
        assertEquals(1, module.rtpproxyDestroy0(context(bye)));
        assertEquals(1, module.rtpproxyManage(context(bye), "ie"));
        assertEquals(1, module.rtpproxyDestroy(context(bye), "t1"));
        assertEquals(List.of("D mod-1@example ftag ttag", "D mod-1@example ftag ttag",
                "D mod-1@example;z9hG4bK-bye ftag"), relay.calls());
    }
}
