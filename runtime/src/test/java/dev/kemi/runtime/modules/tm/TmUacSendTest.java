package dev.kemi.runtime.modules.tm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.rpc.RpcException;
import dev.kemi.runtime.rpc.RpcRegistry;
import dev.kemi.runtime.sip.SipMessage;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Assertions;

/** t_uac_send / tm.t_uac_start over FakeProxy with a manual clock: timers and refusals. */
class TmUacSendTest {
    private static final int UAS = 5080;
    private static final String HDRS = "From: <sip:p@127.0.0.1>\r\nTo: <sip:u@127.0.0.1>\r\n";
    private FakeProxy proxy;
    private ManualScheduler clock;
    private TmModule tm;
    private MessageContext any;

    @BeforeEach
    void setUp() {
        proxy = new FakeProxy();
        clock = new ManualScheduler();
        tm = new TmModule(clock);
        tm.init(proxy);
        any = proxy.request("OPTIONS sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-u1\r\n"
                + "From: <sip:a@127.0.0.1>;tag=a\r\nTo: <sip:x@127.0.0.1>\r\nCall-ID: u1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
    }

    private void reply(FakeProxy.Sent req, int code) {
        SipMessage m = req.parse();
        String r = "SIP/2.0 " + code + " X\r\nVia: " + m.header("Via") + "\r\nFrom: " + m.header("From") + "\r\nTo: "
                + m.header("To") + ";tag=u\r\nCall-ID: " + m.callId() + "\r\nCSeq: " + m.header("CSeq") + "\r\nContent-Length: 0\r\n\r\n";
        MessageContext ctx = proxy.context(r, proxy.udp);
        ctx.routeType(RouteType.CORE_REPLY);
        assertTrue(tm.onReply(ctx), "the reply is tm's");
    }

    @Test
    void nonInviteIsRetransmittedUntilItsFinalAtT2AfterAProvisional() {
        assertEquals(1, tm.t_uac_send(any, "OPTIONS", "sip:u@127.0.0.1:5080", "", "", HDRS, ""));
        clock.advance(1500); // 0, 500, 1500
        assertEquals(3, proxy.sentTo(UAS).size());
        reply(proxy.sentTo(UAS).get(0), 100);
        clock.advance(4000); // next at T2
        assertEquals(4, proxy.sentTo(UAS).size());
        reply(proxy.sentTo(UAS).get(0), 200);
        clock.advance(20_000);
        assertEquals(4, proxy.sentTo(UAS).size());
    }

    @Test
    void inviteTimesOutAfterItsProvisionalWithACancel() {
        assertEquals(1, tm.t_uac_send(any, "INVITE", "sip:u@127.0.0.1:5080", ".", ".", HDRS, ""));
        reply(proxy.sentTo(UAS).get(0), 180);
        clock.advance(119_000);
        assertEquals(1, proxy.sentTo(UAS).size(), "no retransmission after the 180");
        clock.advance(2000);
        assertTrue(proxy.sentTo(UAS).get(1).text().startsWith("CANCEL sip:u@127.0.0.1:5080 SIP/2.0"));
    }

    @Test
    void invalidParametersAreRefused() {
        assertEquals(-1, tm.t_uac_send(any, "", "sip:u@127.0.0.1", "", "", HDRS, ""));
        assertEquals(-1, tm.t_uac_send(any, "OPTIONS", "nonsense", "", "", HDRS, ""));
        assertEquals(-1, tm.t_uac_send(any, "OPTIONS", "sip:u@127.0.0.1", "", "", "To: <sip:u@127.0.0.1>\r\n", ""));
        assertEquals(-1, tm.t_uac_send(any, "OPTIONS", "sip:u@127.0.0.1", "", "", HDRS, "body without Content-Type"));
        assertEquals(-1, tm.t_uac_send(any, "OPTIONS", "sip:u@127.0.0.1", "", "", HDRS + "CSeq: 2 INFO\r\n", ""));
        assertEquals(-1, tm.t_uac_send(any, "OPTIONS", "sip:u@127.0.0.1", "", "udp:10.9.9.9:5060", HDRS, ""));
        assertTrue(proxy.sentTo(UAS).isEmpty());
    }

    @Test
    void rpcStartSendsAndFaultsAsKamailio() {
        RpcRegistry r = new RpcRegistry();
        tm.registerRpc(r);
        RpcException few = Assertions.assertThrows(RpcException.class, () -> r.call("tm.t_uac_start", List.of("OPTIONS", "sip:u@127.0.0.1")));
        assertEquals(400, few.code());
        assertEquals("too few parameters (2/5)", few.getMessage());
        r.call("tm.t_uac_start", List.of("OPTIONS", "sip:u@127.0.0.1:5080", ".", ".", HDRS));
        assertTrue(proxy.sentTo(UAS).get(0).text().startsWith("OPTIONS sip:u@127.0.0.1:5080 SIP/2.0"));
    }
}
