package dev.kemi.runtime.modules.outbound;

import static dev.kemi.runtime.modules.TestSupport.ctx;
import static dev.kemi.runtime.modules.TestSupport.socket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.api.FunctionTable;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.TestSupport.FakeServices;
import dev.kemi.runtime.modules.core.SendSocket;
import dev.kemi.runtime.modules.core.StatelessForward;
import dev.kemi.runtime.modules.path.PathModule;
import dev.kemi.runtime.modules.rr.RrModule;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.transport.Protocol;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** outbound with path and rr, as an edge proxy uses them (Kamailio's edge.cfg). */
class OutboundFlowTest {
    private static final Pattern PATH_TOKEN = Pattern.compile("Path: <sip:([^@]+)@127\\.0\\.0\\.1:5080;lr;ob>\r\n");
    private final ListenSocket udp = socket(Protocol.UDP, "127.0.0.1", 5080);
    private final ListenSocket tcp = socket(Protocol.TCP, "127.0.0.1", 5080);
    private final FakeServices svc = new FakeServices(udp, tcp);
    private final OutboundModule ob = new OutboundModule();
    private final RrModule rr = new RrModule();
    private final PathModule path = new PathModule();

    OutboundFlowTest() {
        ob.flowTokenSecret("s3cret");
        svc.functions = FunctionTable.build(List.of(ob, rr, path));
        ob.init(svc);
        rr.init(svc);
        path.init(svc);
    }

    private static String register(String vias, String contactParams, String... extra) {
        StringBuilder b = new StringBuilder("REGISTER sip:example.com SIP/2.0\n").append(vias)
                .append("Max-Forwards: 70\nFrom: <sip:alice@example.com>;tag=r1\nTo: <sip:alice@example.com>\n")
                .append("Call-ID: reg-1\nCSeq: 1 REGISTER\n")
                .append("Contact: <sip:alice@127.0.0.2:5070>").append(contactParams).append('\n');
        for (String e : extra) b.append(e).append('\n');
        return b.append("Content-Length: 0\n\n").toString();
    }

    private static final String ONE_VIA = "Via: SIP/2.0/UDP 127.0.0.2:5070;branch=z9hG4bK-1;rport\n";

    private String sent(MessageContext c, ListenSocket out) {
        SipMessage copy = c.msg().copy();
        StatelessForward.prepareRequest(c, copy, out, "z9hG4bKtest");
        return copy.toString();
    }

    @Test
    void firstHopRegisterGetsAFlowTokenAndOb() throws Exception {
        MessageContext c = ctx(svc, register(ONE_VIA, ";reg-id=1;+sip.instance=\"<urn:uuid:1>\"", "Supported: outbound"));
        assertEquals(1, path.add_path(c));
        Matcher m = PATH_TOKEN.matcher(sent(c, udp));
        assertTrue(m.find());
        Flow f = ob.decodeFlowToken(ctx(svc, register(ONE_VIA, "")), m.group(1));
        assertEquals(c.received().source(), f.remote());
        assertEquals(udp.address(), f.local());
        assertEquals(Protocol.UDP, f.proto());
    }

    @Test
    void noRegIdOrNotFirstHopMeansNoOutbound() {
        MessageContext plain = ctx(svc, register(ONE_VIA, ""));
        path.add_path(plain);
        assertTrue(sent(plain, udp).contains("\r\nPath: <sip:127.0.0.1:5080;lr>\r\n"));
        MessageContext second = ctx(svc, register("Via: SIP/2.0/UDP 127.0.0.7;branch=z9hG4bK-7\n" + ONE_VIA, ";reg-id=1"));
        assertEquals(0, ob.useOutbound(second));
    }

    @Test
    void pathReceivedOverTcpAndExistingPath() {
        MessageContext c = ctx(svc, register(ONE_VIA, "", "Path: <sip:10.0.0.1;lr>"), 1, "127.0.0.2", 40000);
        path.add_path_received(c);
        String s = sent(c, tcp);
        assertTrue(s.contains("\r\nPath: <sip:127.0.0.1:5080;transport=tcp;lr;received=sip:127.0.0.2:40000%3Btransport%3Dtcp>\r\n"
                + "Path: <sip:10.0.0.1;lr>\r\n"), s);
    }

    @Test
    void requestOverTheFlowIsRoutedToIt() throws Exception {
        MessageContext reg = ctx(svc, register(ONE_VIA, ";reg-id=1"));
        String token = ob.encodeFlowToken(reg.received());
        String invite = "INVITE sip:alice@127.0.0.2:5999 SIP/2.0\n"
                + "Via: SIP/2.0/UDP 127.0.0.9;branch=z9hG4bK-9\nVia: SIP/2.0/UDP 127.0.0.8;branch=z9hG4bK-8\n"
                + "Route: <sip:" + token + "@127.0.0.1:5080;lr;ob>\n"
                + "Max-Forwards: 69\nFrom: <sip:bob@example.com>;tag=b1\nTo: <sip:alice@example.com>\nCall-ID: c1\nCSeq: 1 INVITE\n"
                + "Contact: <sip:bob@127.0.0.8>\nContent-Length: 0\n\n";
        MessageContext c = ctx(svc, invite, 0, "127.0.0.9", 5060);
        assertEquals(2, ob.useOutbound(c));
        assertEquals(1, rr.record_route(c));
        assertEquals(2, rr.loose_route(c));
        assertEquals("sip:127.0.0.2:5070;transport=udp", c.dstUri());
        assertEquals(udp, SendSocket.get(c));
        String s = sent(c, udp);
        assertTrue(s.contains("\r\nRecord-Route: <sip:" + token + "@127.0.0.1:5080;lr;ftag=b1>\r\n"), s);
        assertTrue(!s.contains("\r\nRoute:"), s);
    }

    @Test
    void aTamperedTokenIsRefusedByLooseRoute() {
        MessageContext reg = ctx(svc, register(ONE_VIA, ";reg-id=1"));
        String token = ob.encodeFlowToken(reg.received());
        String bad = (token.charAt(0) == 'A' ? 'B' : 'A') + token.substring(1);
        String bye = "BYE sip:alice@127.0.0.2:5999 SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.9;branch=z9hG4bK-9\n"
                + "Route: <sip:" + bad + "@127.0.0.1:5080;lr;ob>\n"
                + "Max-Forwards: 69\nFrom: <sip:bob@example.com>;tag=b1\nTo: <sip:alice@example.com>;tag=a1\nCall-ID: c1\nCSeq: 2 BYE\n"
                + "Content-Length: 0\n\n";
        MessageContext c = ctx(svc, bye, 0, "127.0.0.9", 5060);
        assertEquals(-2, rr.loose_route(c));
        assertNull(c.dstUri());
    }
}
