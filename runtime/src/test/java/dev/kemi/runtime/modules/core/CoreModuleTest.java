package dev.kemi.runtime.modules.core;

import static dev.kemi.runtime.modules.TestSupport.ctx;
import static dev.kemi.runtime.modules.TestSupport.invite;
import static dev.kemi.runtime.modules.TestSupport.socket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.TestSupport.FakeServices;
import dev.kemi.runtime.modules.TestSupport.Sent;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.transport.Protocol;
import org.junit.jupiter.api.Test;

class CoreModuleTest {
    private final CoreModule core = new CoreModule();
    private final FakeServices svc = new FakeServices(socket(Protocol.UDP, "127.0.0.1", 5080), socket(Protocol.TCP, "127.0.0.1", 5080));

    @Test
    void flagsAreRangeChecked() {
        MessageContext c = ctx(svc, invite());
        assertTrue(core.setflag(c, 3));
        assertTrue(core.isflagset(c, 3));
        assertTrue(core.resetflag(c, 3));
        assertFalse(core.isflagset(c, 3));
        assertFalse(core.setflag(c, 32));
        assertTrue(core.setbflag(c, 31));
        assertEquals(1 << 31, c.branchFlags());
        assertFalse(core.setbiflag(c, 1, 2));
        assertTrue(core.setsflag(c, 0));
        assertTrue(core.issflagset(c, 0));
    }

    @Test
    void methodTests() {
        MessageContext c = ctx(svc, invite());
        assertTrue(core.is_method(c, "invite"));
        assertTrue(core.is_method(c, "BYE|INVITE"));
        assertFalse(core.is_method(c, "BYE|CANCEL"));
        assertFalse(core.is_method(c, "BYE|FOO|INVITE"));
        assertTrue(core.is_method_in(c, "bi"));
        assertFalse(core.is_method_in(c, "BC"));
        assertTrue(core.is_INVITE(c));
        assertFalse(core.is_ACK(c));
    }

    @Test
    void transportTests() {
        MessageContext c = ctx(svc, invite());
        assertTrue(core.is_UDP(c));
        assertTrue(core.is_proto(c, "tu"));
        assertFalse(core.is_proto(c, "t"));
        assertTrue(core.is_IPv4(c));
        assertTrue(core.is_src_port(c, 5070));
        assertTrue(core.is_dst_port(c, 5080));
        assertTrue(core.to_UDP(c));
        core.setdsturi(c, "sip:127.0.0.9:5090;transport=tcp");
        assertTrue(core.to_TCP(c));
    }

    @Test
    void myselfUsesPortWildcardInKemi() {
        MessageContext c = ctx(svc, invite());
        // R-URI sip:bob@127.0.0.1 has no port; we listen on 5080 only: KEMI says true
        assertTrue(core.is_myself_ruri(c));
        assertTrue(c.isMyself(c.msg().requestUri(), false));
        assertFalse(c.isMyself(c.msg().requestUri(), true));
        assertFalse(core.is_myself_furi(c));
        assertFalse(core.is_myself_srcip(c));
        assertTrue(core.is_myself(c, "127.0.0.1"));
    }

    @Test
    void uriRewrites() {
        MessageContext c = ctx(svc, invite());
        assertTrue(core.setuser(c, "carol"));
        assertEquals("sip:carol@127.0.0.1", c.msg().requestUri());
        assertTrue(core.sethost(c, "example.com"));
        assertEquals("sip:carol@example.com", c.msg().requestUri());
        assertTrue(core.setport(c, "5099"));
        assertEquals("sip:carol@example.com:5099", c.msg().requestUri());
        assertTrue(core.prefix(c, "00"));
        assertTrue(core.strip(c, 1));
        assertEquals("sip:0carol@example.com:5099", c.msg().requestUri());
        assertTrue(core.seturi(c, "sip:x@y;transport=tcp"));
        assertTrue(c.msg().toString().startsWith("INVITE sip:x@y;transport=tcp SIP/2.0\r\n"));
        assertTrue(core.revertUri(c));
        assertEquals("sip:bob@127.0.0.1", c.msg().requestUri());
    }

    @Test
    void setdsturiAlwaysTrue() {
        MessageContext c = ctx(svc, invite());
        assertTrue(core.setdsturi(c, "not a uri"));
        assertFalse(core.isdsturiset(c));
        assertTrue(core.setdsturi(c, "sip:127.0.0.9:5090"));
        assertTrue(core.isdsturiset(c));
        assertTrue(core.resetdsturi(c));
        assertNull(c.dstUri());
    }

    @Test
    void forwardAddsViaWithReceivedAndRport() throws Exception {
        MessageContext c = ctx(svc, invite());
        core.setdsturi(c, "sip:127.0.0.9:5090");
        assertEquals(1, core.forward(c));
        assertTrue(c.forwarded());
        Sent s = svc.last();
        assertEquals(Protocol.UDP, s.dst().proto());
        assertEquals(5090, s.dst().address().getPort());
        assertEquals("127.0.0.9", s.dst().address().getAddress().getHostAddress());
        SipMessage out = s.parsed();
        assertEquals("sip:bob@127.0.0.1", out.requestUri());
        var vias = out.vias();
        assertEquals(2, vias.size());
        assertEquals("127.0.0.1", vias.get(0).host());
        assertEquals(5080, vias.get(0).port());
        assertTrue(vias.get(0).branch().startsWith("z9hG4bK"));
        assertEquals("127.0.0.2", vias.get(1).received());
        assertEquals(5070, vias.get(1).rport());
        // placed as Kamailio 5.6.3 does on relayed requests
        assertTrue(s.text().contains("\r\nVia: SIP/2.0/UDP 127.0.0.2:5070;received=127.0.0.2;branch=z9hG4bK-abc;rport=5070\r\n"), s.text());
    }

    @Test
    void statelessBranchIsStableAndSharedWithCancel() throws Exception {
        String b1 = StatelessForward.statelessBranch(ctx(svc, invite()).msg());
        String b2 = StatelessForward.statelessBranch(ctx(svc, invite()).msg());
        String cancel = invite().replace("INVITE sip", "CANCEL sip").replace("CSeq: 1 INVITE", "CSeq: 1 CANCEL");
        String b3 = StatelessForward.statelessBranch(ctx(svc, cancel).msg());
        String other = StatelessForward.statelessBranch(ctx(svc, invite().replace("z9hG4bK-abc", "z9hG4bK-def")).msg());
        assertEquals(b1, b2);
        assertEquals(b1, b3);
        assertNotEquals(b1, other);
    }

    @Test
    void forwardToRuriOverTcpAndFailure() {
        MessageContext c = ctx(svc, invite());
        core.seturi(c, "sip:bob@127.0.0.9:5091;transport=tcp");
        assertEquals(1, core.forward(c));
        assertEquals(Protocol.TCP, svc.last().dst().proto());
        assertTrue(svc.last().text().contains("Via: SIP/2.0/TCP 127.0.0.1:5080;branch=z9hG4bK"));
        svc.refuse = true;
        assertEquals(-1, core.forward(ctx(svc, invite())));
        assertEquals(-1, core.forward_uri(ctx(svc, invite()), "sip:bob@127.0.0.9;transport=sctp"));
    }

    @Test
    void addLocalRportMarksOurVia() {
        MessageContext c = ctx(svc, invite());
        core.add_local_rport(c);
        core.forward_uri(c, "127.0.0.9:5090");
        assertTrue(svc.last().text().matches("(?s).*Via: SIP/2.0/UDP 127.0.0.1:5080;branch=z9hG4bK[^;\r]*;rport\r\n.*"));
    }

    @Test
    void advertisedAddressShowsInViaNotInTheRecordRoute() {
        MessageContext c = ctx(svc, invite());
        assertEquals(1, core.set_advertised_address(c, "proxy.example.com"));
        assertEquals(1, core.set_advertised_port(c, "5099"));
        assertEquals(-1, core.set_advertised_port(c, "x"));
        new dev.kemi.runtime.modules.rr.RrModule().record_route(c);
        core.forward_uri(c, "sip:127.0.0.9:5090");
        String out = svc.last().text();
        // Kamailio's single Record-Route is the receiving socket (SUBST_RCV_ALL): set_advertised_* do not reach it
        assertTrue(out.contains("Record-Route: <sip:127.0.0.1:5080;lr;ftag=f1>\r\n"), out);
        assertTrue(out.contains("Via: SIP/2.0/UDP proxy.example.com:5099;branch=z9hG4bK"), out);
    }

    @Test
    void senderViaStamping() {
        assertEquals("SIP/2.0/UDP a:1;received=1.2.3.4;branch=x;rport=9", StatelessForward.stamp("SIP/2.0/UDP a:1;branch=x;rport", "1.2.3.4", 9));
        assertEquals("SIP/2.0/TCP a;received=1.2.3.4;branch=x", StatelessForward.stamp("SIP/2.0/TCP a;received=5.6.7.8;branch=x", "1.2.3.4", 0));
        // both new: rport goes after received's anchor, so first (5.6.3 on the wire: a JsSIP Via over WSS)
        assertEquals("SIP/2.0/UDP a;rport=9;received=1.2.3.4", StatelessForward.stamp("SIP/2.0/UDP a", "1.2.3.4", 9));
        assertEquals("SIP/2.0/WSS h.invalid;rport=9;received=1.2.3.4;branch=x", StatelessForward.stamp("SIP/2.0/WSS h.invalid;branch=x", "1.2.3.4", 9));
        assertEquals("SIP/2.0/UDP a;branch=x;rport=9;received=1.2.3.4", StatelessForward.stamp("SIP/2.0/UDP a;branch=x;received=5.6.7.8", "1.2.3.4", 9));
        assertEquals("SIP/2.0/UDP a:1;rport=9;branch=x", StatelessForward.stamp("SIP/2.0/UDP a:1;branch=x", null, 9));
        // no rport and the sent-by is the source: untouched
        MessageContext c = ctx(svc, invite().replace(";rport", ""), 0, "127.0.0.2", 5070);
        core.forward_uri(c, "sip:127.0.0.9:5090");
        assertTrue(svc.last().text().contains("\r\nVia: SIP/2.0/UDP 127.0.0.2:5070;branch=z9hG4bK-abc\r\n"), svc.last().text());
        // a multi-value Via field keeps its other values
        MessageContext d = ctx(svc, invite().replace(";branch=z9hG4bK-abc;rport", ";branch=z9hG4bK-abc;rport, SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-old"));
        core.forward_uri(d, "sip:127.0.0.9:5090");
        assertTrue(svc.last().text().contains("\r\nVia: SIP/2.0/UDP 127.0.0.2:5070;received=127.0.0.2;branch=z9hG4bK-abc;rport=5070, SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-old\r\n"), svc.last().text());
    }

    @Test
    void sendsFromTheReceivingSocketWhenTheProtocolMatches() {
        FakeServices two = new FakeServices(socket(Protocol.UDP, "127.0.0.1", 5080), socket(Protocol.UDP, "127.0.0.3", 5060),
                socket(Protocol.TCP, "127.0.0.1", 5080));
        core.forward_uri(ctx(two, invite(), 1, "127.0.0.2", 5070), "sip:127.0.0.9:5090");
        assertEquals(two.sockets.get(1), two.last().dst().socket());
        assertTrue(two.last().text().contains("Via: SIP/2.0/UDP 127.0.0.3;branch="));
        core.forward_uri(ctx(two, invite(), 2, "127.0.0.2", 5070), "sip:127.0.0.9:5090");
        assertEquals(two.sockets.get(0), two.last().dst().socket());
    }
}
