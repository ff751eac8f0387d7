package dev.kemi.runtime.modules.rr;

import static dev.kemi.runtime.modules.TestSupport.ctx;
import static dev.kemi.runtime.modules.TestSupport.invite;
import static dev.kemi.runtime.modules.TestSupport.socket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.api.FunctionTable;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.TestSupport.FakeServices;
import dev.kemi.runtime.modules.core.CoreModule;
import dev.kemi.runtime.modules.core.SendSocket;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.transport.Protocol;
import java.util.List;
import org.junit.jupiter.api.Test;

class RrModuleTest {
    private final RrModule rr = new RrModule();
    private final ListenSocket udp = socket(Protocol.UDP, "127.0.0.1", 5080);
    private final ListenSocket tcp = socket(Protocol.TCP, "127.0.0.1", 5080);
    private final ListenSocket udp2 = socket(Protocol.UDP, "127.0.0.3", 5060);
    private final FakeServices svc = new FakeServices(udp, tcp, udp2);

    RrModuleTest() {
        svc.functions = FunctionTable.build(List.of(rr));
    }

    private static String dialog(String routes, String ruri) {
        return invite().replace("INVITE sip:bob@127.0.0.1 ", "BYE " + ruri + " ")
                .replace("CSeq: 1 INVITE", "CSeq: 2 BYE")
                .replace("To: <sip:bob@127.0.0.1>", "To: <sip:bob@127.0.0.1>;tag=t9")
                .replace("Contact: <sip:alice@127.0.0.2:5070>\n", routes);
    }

    @Test
    void singleRecordRouteWhenSameSocket() {
        MessageContext c = ctx(svc, invite());
        assertEquals(1, rr.record_route(c));
        assertEquals(-1, rr.record_route(c));
        SipMessage out = c.msg().copy();
        RecordRoute.apply(c, out, udp);
        assertTrue(out.toString().contains("\r\nRecord-Route: <sip:127.0.0.1:5080;lr;ftag=f1>\r\nVia:"), out.toString());
    }

    @Test
    void doubleRecordRouteAcrossSockets() {
        MessageContext c = ctx(svc, invite());
        rr.record_route_params(c, ";nat=yes");
        SipMessage out = c.msg().copy();
        RecordRoute.apply(c, out, udp2);
        String s = out.toString();
        assertTrue(s.contains("Record-Route: <sip:127.0.0.3;r2=on;lr;ftag=f1;nat=yes>\r\n"
                + "Record-Route: <sip:127.0.0.1:5080;r2=on;lr;ftag=f1;nat=yes>\r\n"), s);
        SipMessage tcpOut = c.msg().copy();
        RecordRoute.apply(c, tcpOut, tcp);
        assertTrue(tcpOut.toString().contains("Record-Route: <sip:127.0.0.1:5080;transport=tcp;r2=on;lr;ftag=f1;nat=yes>\r\n"), tcpOut.toString());
    }

    @Test
    void modparamsShapeTheHeader() {
        rr.enableFullLr(1);
        rr.appendFromtag(0);
        rr.enableDoubleRr(0);
        MessageContext c = ctx(svc, invite());
        rr.record_route(c);
        rr.add_rr_param(c, "p=1");
        SipMessage out = c.msg().copy();
        RecordRoute.apply(c, out, udp2);
        assertTrue(out.toString().contains("Record-Route: <sip:127.0.0.1:5080;lr=on;p=1>\r\n"), out.toString());
        assertFalse(out.toString().contains("127.0.0.3;"));
    }

    @Test
    void forwardAppliesRecordRoute() {
        MessageContext c = ctx(svc, invite());
        rr.record_route(c);
        new CoreModule().forward_uri(c, "sip:127.0.0.9:5090");
        assertTrue(svc.last().text().contains("Record-Route: <sip:127.0.0.1:5080;lr;ftag=f1>\r\n"));
    }

    @Test
    void noRouteIsNotRouteDriven() {
        assertEquals(-1, rr.loose_route(ctx(svc, dialog("", "sip:bob@127.0.0.9"))));
    }

    @Test
    void routeToUsThenNextHopGoesToDstUri() {
        MessageContext c = ctx(svc, dialog("Route: <sip:127.0.0.1:5080;lr;ftag=f1;nat=yes>, <sip:127.0.0.8:5060;lr>\n",
                "sip:bob@127.0.0.9:5070"));
        assertEquals(1, rr.loose_route(c));
        assertEquals("sip:127.0.0.8:5060;lr", c.dstUri());
        assertTrue(c.msg().toString().contains("\r\nRoute: <sip:127.0.0.8:5060;lr>\r\n"), c.msg().toString());
        assertFalse(c.msg().toString().contains("127.0.0.1:5080;lr"));
        assertEquals(1, rr.check_route_param(c, "nat=yes"));
        assertEquals(-1, rr.check_route_param(c, "foo"));
        assertEquals(1, rr.is_direction(c, "downstream"));
        assertEquals(-1, rr.is_direction(c, "upstream"));
        assertEquals(1, rr.next_hop_route(c));
    }

    @Test
    void lastRouteToUsUsesRequestUri() {
        MessageContext c = ctx(svc, dialog("Route: <sip:127.0.0.1:5080;lr;ftag=other>\n", "sip:bob@127.0.0.9:5070"));
        assertEquals(1, rr.loose_route(c));
        assertNull(c.dstUri());
        assertFalse(c.msg().toString().contains("Route:"));
        assertEquals(1, rr.is_direction(c, "upstream"));
        assertEquals(-1, rr.next_hop_route(c));
    }

    @Test
    void doubleRouteConsumesBothAndForcesSocket() {
        MessageContext c = ctx(svc, dialog("Route: <sip:127.0.0.1:5080;r2=on;lr;ftag=f1>\nRoute: <sip:127.0.0.3;r2=on;lr;ftag=f1>\nRoute: <sip:127.0.0.8;lr>\n",
                "sip:bob@127.0.0.9:5070"));
        assertEquals(1, rr.loose_route(c));
        assertEquals("sip:127.0.0.8;lr", c.dstUri());
        assertEquals(udp2, SendSocket.get(c));
        String out = c.msg().toString();
        assertTrue(out.contains("Route: <sip:127.0.0.8;lr>\r\n"), out);
        assertFalse(out.contains("r2=on"), out);
    }

    @Test
    void preloadedRouteToUsOnly() {
        String m = invite().replace("Contact: <sip:alice@127.0.0.2:5070>\n", "Route: <sip:127.0.0.1:5080;lr>\n");
        MessageContext c = ctx(svc, m);
        assertEquals(-3, rr.loose_route(c));
        assertFalse(c.msg().toString().contains("Route:"));
        MessageContext d = ctx(svc, m.replace("Route: <sip:127.0.0.1:5080;lr>", "Route: <sip:127.0.0.8;lr>"));
        assertEquals(1, rr.loose_route(d));
        assertEquals("sip:127.0.0.8;lr", d.dstUri());
    }

    @Test
    void strictRouterNextHopGetsTheRequestUri() {
        MessageContext c = ctx(svc, dialog("Route: <sip:127.0.0.1:5080;lr>, <sip:127.0.0.8:5062>\n", "sip:bob@127.0.0.9:5070"));
        assertEquals(1, rr.loose_route(c));
        assertEquals("sip:127.0.0.8:5062", c.msg().requestUri());
        String out = c.msg().toString();
        assertTrue(out.startsWith("BYE sip:127.0.0.8:5062 SIP/2.0\r\n"), out);
        assertTrue(out.contains("\r\nRoute: <sip:bob@127.0.0.9:5070>\r\n\r\n"), out);
        assertNull(c.dstUri());
    }

    @Test
    void doubleRouteTransportWsForcesTheTlsListenerItNames() {
        ListenSocket tls = socket(Protocol.TLS, "127.0.0.3", 8443);
        FakeServices s = new FakeServices(udp, tls);
        s.functions = FunctionTable.build(List.of(rr));
        MessageContext c = ctx(s, dialog("Route: <sip:127.0.0.1:5080;r2=on;lr>\nRoute: <sip:127.0.0.3:8443;transport=ws;r2=on;lr>\n",
                "sip:alice@127.0.0.9;alias=127.0.0.9~50750~6"));
        assertEquals(1, rr.loose_route(c));
        assertEquals(tls, SendSocket.get(c));
    }

    @Test
    void ownWsEntryOfTheWssListenerIsOursWhateverItsTransport() {
        // loose.c: check_self(host, port, 0) — a browser's BYE brings our ";transport=ws" entry of the TLS listener first
        ListenSocket tls = socket(Protocol.TLS, "127.0.0.3", 8443);
        FakeServices s = new FakeServices(udp, tls);
        s.functions = FunctionTable.build(List.of(rr));
        MessageContext c = ctx(s, dialog("Route: <sip:127.0.0.3:8443;transport=ws;r2=on;lr;nat=yes>\nRoute: <sip:127.0.0.1:5080;r2=on;lr;nat=yes>\n",
                "sip:bob@127.0.0.9:5070"));
        assertEquals(1, rr.loose_route(c));
        assertNull(c.dstUri());
        assertEquals(udp, SendSocket.get(c));
        assertFalse(c.msg().toString().contains("Route:"), c.msg().toString());
    }

    @Test
    void gruuRequestUriOfOursIsNoStrictRouterResult() {
        // a BYE to a browser's public GRUU (our host, ";gr"): Kamailio's rr routes it loosely
        MessageContext c = ctx(svc, dialog("Route: <sip:127.0.0.1:5080;lr>, <sip:127.0.0.8;lr>\n",
                "sip:alice@127.0.0.1:5080;gr=urn:uuid:caa3b517-3a25-4d97-ab54-cacf937d082e"));
        assertEquals(1, rr.loose_route(c));
        assertEquals("sip:127.0.0.8;lr", c.dstUri());
        assertEquals("sip:alice@127.0.0.1:5080;gr=urn:uuid:caa3b517-3a25-4d97-ab54-cacf937d082e", c.msg().requestUri());
    }

    @Test
    void previousStrictRouterRestoresRequestUriFromLastRoute() {
        MessageContext c = ctx(svc, dialog("Route: <sip:127.0.0.8;lr>, <sip:bob@127.0.0.9:5070>\n", "sip:127.0.0.1:5080;lr"));
        assertEquals(1, rr.loose_route(c));
        assertEquals("sip:127.0.0.8;lr", c.dstUri());
        assertEquals("sip:bob@127.0.0.9:5070", c.msg().requestUri());
        assertTrue(c.msg().toString().contains("Route: <sip:127.0.0.8;lr>\r\n"));
        assertFalse(c.msg().toString().contains("Route: <sip:127.0.0.8;lr>, "));
    }

    @Test
    void presetRecordRoute() {
        MessageContext c = ctx(svc, invite());
        assertEquals(1, rr.record_route_preset_one(c, "10.0.0.1:5060;x=1"));
        SipMessage out = c.msg().copy();
        RecordRoute.apply(c, out, udp);
        assertTrue(out.toString().contains("Record-Route: <sip:10.0.0.1:5060;x=1;ftag=f1;lr>\r\n"), out.toString());
    }

    @Test
    void tmRelayGetsRecordRouteOnce() {
        dev.kemi.runtime.modules.tm.TmModule tm = new dev.kemi.runtime.modules.tm.TmModule(
                new dev.kemi.runtime.modules.tm.TmScheduler() {
                    @Override
                    public dev.kemi.runtime.core.WorkerTimers.Timer schedule(String key, long delayMs, Runnable task) { return () -> {}; }

                    @Override
                    public long now() { return 0; }
                });
        svc.functions = FunctionTable.build(List.of(rr, tm));
        tm.init(svc);
        MessageContext c = ctx(svc, invite());
        rr.record_route(c);
        c.setDstUri("sip:127.0.0.9:5090");
        assertEquals(1, tm.t_relay(c));
        String out = svc.sent.stream().map(x -> x.text()).filter(t -> t.startsWith("INVITE")).findFirst().orElseThrow();
        assertEquals(1, out.split("Record-Route:", -1).length - 1, out);
        assertTrue(out.contains("Record-Route: <sip:127.0.0.1:5080;lr;ftag=f1>\r\n"), out);
    }
}
