package dev.kemi.runtime.modules.tm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.rpc.RpcException;
import dev.kemi.runtime.rpc.RpcRegistry;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.transport.Protocol;
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

    @Test
    void apiRequestGoesThroughItsRouteSetAndReportsItsFinal() {
        List<TmUac.Reply> finals = new java.util.ArrayList<>();
        TmUac.Dlg dlg = new TmUac.Dlg("c1", "sip:b@127.0.0.1", "tb", "sip:a@127.0.0.1", "ta", 7,
                List.of("<sip:127.0.0.1:5080;lr>", "<sip:p2.invalid;lr>"));
        assertTrue(tm.request(new TmUac.Request("BYE", "sip:a@127.0.0.1:5099", dlg, "Max-Forwards: 70\r\nX-A: 1\r\n",
                null, null, proxy.tcp), finals::add));
        FakeProxy.Sent bye = proxy.sentTo(UAS).get(0);
        assertEquals(Protocol.UDP, bye.dst().proto(), "the forced TCP socket does not fit the UDP next hop");
        String[] lines = bye.text().split("\r\n");
        assertEquals("BYE sip:a@127.0.0.1:5099 SIP/2.0", lines[0]);
        assertTrue(lines[1].startsWith("Via: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK"), lines[1]);
        assertEquals(List.of("To: <sip:a@127.0.0.1>;tag=ta", "From: <sip:b@127.0.0.1>;tag=tb", "CSeq: 7 BYE", "Call-ID: c1",
                "Route: <sip:127.0.0.1:5080;lr>, <sip:p2.invalid;lr>", "Content-Length: 0"), List.of(lines).subList(2, 8));
        assertEquals(List.of("Max-Forwards: 70", "X-A: 1"), List.of(lines).subList(9, 11), "the caller's Max-Forwards replaces tm's");
        clock.advance(500);
        assertEquals(2, proxy.sentTo(UAS).size(), "retransmitted at T1");
        reply(bye, 200);
        reply(bye, 200);
        assertEquals(1, finals.size(), "the final once");
        assertEquals(200, finals.get(0).code());
        clock.advance(40_000);
        assertEquals(2, proxy.sentTo(UAS).size());
        var st = tm.stats().snapshot();
        assertEquals(1, st.get("total_local"));
        assertEquals(1, st.get("2xx"));
        assertEquals(0, st.get("current"));
    }

    @Test
    void apiRequestEndsWithALocal408() {
        List<TmUac.Reply> finals = new java.util.ArrayList<>();
        assertTrue(tm.request(new TmUac.Request("OPTIONS", "sip:u@127.0.0.1:5080",
                TmUac.Dlg.fresh("sip:p@127.0.0.1", "sip:u@127.0.0.1"), null, null, null, null), finals::add));
        clock.advance(30_000);
        assertEquals(List.of(408), finals.stream().map(TmUac.Reply::code).toList());
        assertEquals(null, finals.get(0).reply());
        assertTrue(proxy.sentTo(UAS).get(0).text().contains("\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n"));
        assertEquals(false, tm.request(new TmUac.Request("OPTIONS", "sip:u@[", TmUac.Dlg.fresh("sip:p@127.0.0.1", "sip:u@x"),
                null, null, null, null), finals::add), "an unusable next hop is refused");
    }

    @Test
    void aReplyTakenBeforeTheSenderReturnsStopsTheRetransmissions() {
        List<TmUac.Reply> finals = new java.util.ArrayList<>();
        proxy.whileSending = s -> {
            proxy.whileSending = x -> { };
            reply(s, 401);
        };
        assertTrue(tm.request(new TmUac.Request("REGISTER", "sip:u@127.0.0.1:5080",
                TmUac.Dlg.fresh("sip:p@127.0.0.1", "sip:p@127.0.0.1"), null, null, null, null), finals::add));
        clock.advance(10_000);
        assertEquals(1, proxy.sentTo(UAS).size(), "no retransmission after the 401");
        assertEquals(List.of(401), finals.stream().map(TmUac.Reply::code).toList());
    }
}
