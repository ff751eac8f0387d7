package dev.kemi.runtime.modules.tm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.BranchAttrs;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.sip.SipMessage;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** t_load_contacts / t_next_contacts, t_replicate and t_suspend / t_continue over FakeProxy. */
class TmSerialSuspendTest {
    private static final int UAC = 5070, UAS = 5080, UAS2 = 5090;
    private FakeProxy proxy;
    private TmModule tm;

    @BeforeEach
    void setUp() {
        proxy = new FakeProxy();
        tm = new TmModule(new ManualScheduler());
        tm.init(proxy);
        tm.contactsAvp("tm_contacts");
        tm.contactFlowsAvp("tm_flows");
    }

    private static String invite() {
        return "INVITE sip:bob@127.0.0.1:5090 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-s1\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:alice@127.0.0.1>;tag=a1\r\nTo: <sip:bob@127.0.0.1>\r\n"
                + "Call-ID: serial-1@test\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
    }

    private boolean reply(FakeProxy.Sent req, int code, String reason) {
        SipMessage m = req.parse();
        StringBuilder b = new StringBuilder("SIP/2.0 ").append(code).append(' ').append(reason).append("\r\n");
        for (String v : m.headers("Via")) b.append("Via: ").append(v).append("\r\n");
        b.append("From: ").append(m.header("From")).append("\r\nTo: ").append(m.header("To")).append(";tag=b1\r\n");
        b.append("Call-ID: ").append(m.callId()).append("\r\nCSeq: ").append(m.header("CSeq")).append("\r\nContent-Length: 0\r\n\r\n");
        MessageContext ctx = proxy.context(b.toString(), proxy.udp);
        ctx.routeType(RouteType.CORE_REPLY);
        return tm.onReply(ctx);
    }

    @Test
    void eachBranchGoesOutOnItsOwnSocketWithItsFlagsInBranchRoute() {
        MessageContext ctx = proxy.request(invite());
        ctx.appendBranch("sip:two@127.0.0.1:5080", new BranchAttrs(null, null, -1, 1 << 3, "udp:127.0.0.1:5062"));
        List<Integer> flags = new java.util.ArrayList<>();
        proxy.routes.put("B", b -> flags.add(b.branchFlags()));
        tm.t_on_branch(ctx, "B");
        assertEquals(1, tm.t_relay(ctx));
        List<FakeProxy.Sent> out = proxy.sentTo(UAS2);
        assertEquals(proxy.udp, out.get(0).dst().socket(), "the R-URI branch: the message's socket");
        assertEquals(proxy.udp2, proxy.sentTo(UAS).get(0).dst().socket(), "the appended branch: its own socket");
        assertTrue(proxy.sentTo(UAS).get(0).text().contains("Via: SIP/2.0/UDP 127.0.0.1:5062;branch="));
        assertEquals(List.of(0, 1 << 3), flags);
    }

    @Test
    void higherQIsTriedFirstThenTheNextClass() {
        MessageContext ctx = proxy.request(invite());
        ctx.appendBranch("sip:first@127.0.0.1:5080", new BranchAttrs(null, null, 1000, 0, null));
        assertEquals(1, tm.t_load_contacts(ctx));
        assertTrue(ctx.branches().isEmpty());
        assertEquals(1, tm.t_next_contacts(ctx));
        assertEquals("sip:first@127.0.0.1:5080", ctx.msg().requestUri());
        assertTrue(ctx.branches().isEmpty(), "one contact per class");
        tm.t_on_failure(ctx, "NEXT");
        proxy.routes.put("NEXT", f -> {
            assertEquals(1, tm.t_next_contacts(f));
            assertEquals(1, tm.t_relay(f));
        });
        assertEquals(1, tm.t_relay(ctx));
        tm.afterRequestRoute(ctx);
        reply(proxy.sentTo(UAS).get(0), 486, "Busy Here");
        assertEquals("sip:bob@127.0.0.1:5090", proxy.sentTo(UAS2).get(0).parse().requestUri());
        reply(proxy.sentTo(UAS2).get(0), 200, "OK");
        assertEquals("SIP/2.0 200 OK", proxy.last().firstLine());
    }

    @Test
    void nothingToLoadAndDisabled() {
        MessageContext ctx = proxy.request(invite());
        assertEquals(1, tm.t_load_contacts(ctx), "R-URI alone: nothing to do");
        assertEquals(-2, tm.t_next_contacts(ctx));
        assertEquals(-1, tm.t_load_contacts(ctx, 2));
        TmModule off = new TmModule(new ManualScheduler());
        off.init(proxy);
        assertEquals(-1, off.t_load_contacts(proxy.request(invite())));
    }

    @Test
    void replicatedRequestsRepliesStayHere() {
        MessageContext ctx = proxy.request(invite().replace("INVITE sip", "MESSAGE sip").replace("1 INVITE", "1 MESSAGE"));
        assertEquals(1, tm.t_replicate(ctx, "sip:127.0.0.1:5080"));
        tm.afterRequestRoute(ctx);
        reply(proxy.sentTo(UAS).get(0), 200, "OK");
        assertTrue(proxy.sentTo(UAC).isEmpty(), "the copy's 200 is not relayed");
    }

    @Test
    void suspendedUntilContinued() {
        MessageContext ctx = proxy.request(invite());
        assertEquals(1, tm.suspend(ctx));
        tm.afterRequestRoute(ctx);
        assertEquals("SIP/2.0 100 trying -- your call is important to us", proxy.sentTo(UAC).get(0).firstLine());
        assertTrue(proxy.sentTo(UAS2).isEmpty());
        Transaction t = Transaction.of(ctx);
        proxy.routes.put("RESUME", f -> assertEquals(1, tm.t_relay(f)));
        assertEquals(-1, tm.resume(t.hashIndex(), t.label() + 1, "RESUME"));
        assertEquals(1, tm.resume(t.hashIndex(), t.label(), "RESUME"));
        assertEquals(1, proxy.sentTo(UAS2).size());
        assertEquals(-2, tm.resume(t.hashIndex(), t.label(), "RESUME"), "not suspended any more");
        reply(proxy.sentTo(UAS2).get(0), 200, "OK");
        assertEquals("SIP/2.0 200 OK", proxy.last().firstLine());
    }
}
