package dev.kemi.runtime.modules.tm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.api.FunctionTable;
import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.sl.InternalErrors;
import dev.kemi.runtime.modules.tmx.TmxModule;
import dev.kemi.runtime.sip.SipMessage;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TmModuleTest {
    private static final int UAC = 5070, UAS = 5080, UAS2 = 5090;

    private FakeProxy proxy;
    private ManualScheduler clock;
    private TmModule tm;

    @BeforeEach
    void setUp() {
        proxy = new FakeProxy();
        clock = new ManualScheduler();
        tm = new TmModule(clock);
        tm.init(proxy);
    }

    private static String request(String method, String ruri, String branch, int cseq, String extra) {
        return method + " " + ruri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=" + branch + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:alice@127.0.0.1>;tag=a1\r\n"
                + "To: <sip:bob@127.0.0.1>" + extra + "\r\n"
                + "Call-ID: call-1@test\r\n"
                + "CSeq: " + cseq + " " + method + "\r\n"
                + "Contact: <sip:alice@127.0.0.1:5070>\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    private static String invite() {
        return request("INVITE", "sip:bob@127.0.0.1:5080", "z9hG4bK-inv-1", 1, "");
    }

    /** A reply from downstream to a request we sent (Vias copied, To tagged). */
    private static String replyTo(FakeProxy.Sent req, int code, String reason) {
        SipMessage m = req.parse();
        StringBuilder b = new StringBuilder("SIP/2.0 ").append(code).append(' ').append(reason).append("\r\n");
        for (String v : m.headers("Via")) b.append("Via: ").append(v).append("\r\n");
        b.append("From: ").append(m.header("From")).append("\r\n");
        b.append("To: ").append(m.header("To")).append(code > 100 ? ";tag=b1" : "").append("\r\n");
        b.append("Call-ID: ").append(m.callId()).append("\r\n");
        b.append("CSeq: ").append(m.header("CSeq")).append("\r\n");
        b.append("Content-Length: 0\r\n\r\n");
        return b.toString();
    }

    private boolean deliverReply(String text) {
        MessageContext ctx = proxy.context(text, proxy.udp);
        ctx.routeType(RouteType.CORE_REPLY);
        return tm.onReply(ctx);
    }

    /** request_route: t_relay() then the post-script step, as the pipeline runs it. */
    private int relay(MessageContext ctx) {
        int r = tm.t_relay(ctx);
        tm.afterRequestRoute(ctx);
        return r;
    }

    @Test
    void inviteIsRelayedWithAuto100AndOurVia() throws Exception {
        assertEquals(1, relay(proxy.request(invite())));
        List<FakeProxy.Sent> up = proxy.sentTo(UAC);
        assertEquals(1, up.size());
        assertEquals("SIP/2.0 100 trying -- your call is important to us", up.get(0).firstLine());
        assertFalse(up.get(0).parse().header("To").contains("tag="), "no To-tag on 100");
        List<FakeProxy.Sent> down = proxy.sentTo(UAS);
        assertEquals(1, down.size());
        SipMessage out = down.get(0).parse();
        assertEquals("sip:bob@127.0.0.1:5080", out.requestUri());
        List<String> vias = out.headerValues("Via");
        assertEquals(2, vias.size());
        assertTrue(vias.get(0).startsWith("SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK"), vias.get(0));
        assertFalse(vias.get(0).contains("rport"));
        assertTrue(vias.get(1).contains("branch=z9hG4bK-inv-1"));
        assertEquals(1, tm.stats().snapshot().get("current"));
    }

    @Test
    void retransmittedInviteIsAbsorbedAndLastReplyResent() throws Exception {
        relay(proxy.request(invite()));
        MessageContext retr = proxy.request(invite());
        assertEquals(0, tm.t_check_trans(retr));
        assertEquals(2, proxy.sentTo(UAC).size(), "100 sent again");
        assertEquals(1, relay(proxy.request(invite())), "t_relay on a retransmission returns 1");
        assertEquals(1, proxy.sentTo(UAS).size(), "nothing new downstream");
        assertEquals(0, tm.t_newtran(proxy.request(invite())));
    }

    @Test
    void provisionalAndOkRelayedUpstreamWithoutOurVia() throws Exception {
        relay(proxy.request(invite()));
        FakeProxy.Sent inv = proxy.sentTo(UAS).get(0);
        assertTrue(deliverReply(replyTo(inv, 180, "Ringing")));
        assertTrue(deliverReply(replyTo(inv, 200, "OK")));
        List<FakeProxy.Sent> up = proxy.sentTo(UAC);
        assertEquals(3, up.size());
        assertEquals("SIP/2.0 180 Ringing", up.get(1).firstLine());
        assertEquals("SIP/2.0 200 OK", up.get(2).firstLine());
        List<String> vias = up.get(2).parse().headerValues("Via");
        assertEquals(1, vias.size());
        assertTrue(vias.get(0).contains("branch=z9hG4bK-inv-1"));
        // a 200 retransmission is forwarded as well (end to end)
        assertTrue(deliverReply(replyTo(inv, 200, "OK")));
        assertEquals(4, proxy.sentTo(UAC).size());
        assertEquals(1, tm.stats().snapshot().get("2xx"));
        // ACK for the 2xx has its own branch: no transaction, forwarded statelessly
        MessageContext ack = proxy.request(request("ACK", "sip:bob@127.0.0.1:5080", "z9hG4bK-ack-2", 1, ";tag=b1"));
        assertEquals(1, tm.t_check_trans(ack), "possible e2e ACK of a held transaction");
        assertEquals(1, relay(ack));
        FakeProxy.Sent fwd = proxy.last();
        assertEquals(UAS, fwd.dst().address().getPort());
        assertTrue(fwd.firstLine().startsWith("ACK sip:bob@127.0.0.1:5080"));
        assertEquals(2, fwd.parse().headerValues("Via").size());
    }

    @Test
    void aWaitingTransactionKeepsWhatAnswersRetransmissionsOnly() throws Exception {
        MessageContext ctx = proxy.request(invite());
        relay(ctx);
        Transaction t = Transaction.of(ctx);
        FakeProxy.Sent inv = proxy.sentTo(UAS).get(0);
        deliverReply(replyTo(inv, 200, "OK"));
        // on wait: no failure_route copy, no parsed final, no sent request to build from
        assertNull(t.snapshot);
        assertNull(t.branches.get(0).finalReply);
        assertNull(t.branches.get(0).bytes);
        // what is left still serves: the retransmitted INVITE is answered with the 200 again,
        // the 200's retransmission is relayed, the e2e ACK finds the transaction, and the
        // request reads as before (its headers decoded again)
        int up = proxy.sentTo(UAC).size();
        relay(proxy.request(invite()));
        assertEquals(up + 1, proxy.sentTo(UAC).size());
        assertEquals("SIP/2.0 200 OK", proxy.last().firstLine());
        assertTrue(deliverReply(replyTo(inv, 200, "OK")));
        assertEquals("SIP/2.0 200 OK", proxy.last().firstLine());
        assertEquals(1, tm.t_check_trans(proxy.request(request("ACK", "sip:bob@127.0.0.1:5080", "z9hG4bK-ack-2", 1, ";tag=b1"))));
        assertEquals("sip:bob@127.0.0.1:5080", t.request().requestUri());
        assertEquals("1 INVITE", t.request().header("CSeq"));
        clock.advance(5000);
        assertEquals(0, tm.stats().snapshot().get("current"), "freed after wt_timer");
    }

    @Test
    void negativeFinalIsAckedHopByHopAndRelayed() throws Exception {
        relay(proxy.request(invite()));
        FakeProxy.Sent inv = proxy.sentTo(UAS).get(0);
        deliverReply(replyTo(inv, 486, "Busy Here"));
        List<FakeProxy.Sent> down = proxy.sentTo(UAS);
        assertEquals(2, down.size());
        SipMessage ack = down.get(1).parse();
        assertEquals("ACK", ack.method());
        assertEquals(inv.parse().requestUri(), ack.requestUri());
        assertEquals(inv.parse().topVia().branch(), ack.topVia().branch(), "same branch as the INVITE");
        assertEquals(1, ack.headerValues("Via").size());
        assertTrue(ack.header("To").contains("tag=b1"));
        assertEquals("1 ACK", ack.header("CSeq"));
        assertEquals("SIP/2.0 486 Busy Here", proxy.last().firstLine());
        // retransmitted 486 is ACKed again, not relayed again
        int upBefore = proxy.sentTo(UAC).size();
        deliverReply(replyTo(inv, 486, "Busy Here"));
        assertEquals(3, proxy.sentTo(UAS).size());
        assertEquals(upBefore, proxy.sentTo(UAC).size());
        // the UAC's ACK for our 486 matches the transaction and is absorbed
        MessageContext uacAck = proxy.request(request("ACK", "sip:bob@127.0.0.1:5080", "z9hG4bK-inv-1", 1, ";tag=b1"));
        assertEquals(0, tm.t_check_trans(uacAck));
    }

    @Test
    void negativeFinalIsRetransmittedUntilAcked() throws Exception {
        relay(proxy.request(invite()));
        deliverReply(replyTo(proxy.sentTo(UAS).get(0), 404, "Not Found"));
        int up = proxy.sentTo(UAC).size();
        clock.advance(500);
        assertEquals(up + 1, proxy.sentTo(UAC).size(), "timer G");
        tm.t_check_trans(proxy.request(request("ACK", "sip:bob@127.0.0.1:5080", "z9hG4bK-inv-1", 1, ";tag=b1")));
        clock.advance(4000);
        assertEquals(up + 1, proxy.sentTo(UAC).size(), "no retransmission after ACK");
        clock.advance(5000);
        assertEquals(0, tm.stats().snapshot().get("current"), "freed after wt_timer");
        assertEquals(1, tm.stats().snapshot().get("freed"));
    }

    @Test
    void cancelAnswersCancelsDownstreamAndRelays487() throws Exception {
        relay(proxy.request(invite()));
        FakeProxy.Sent inv = proxy.sentTo(UAS).get(0);
        deliverReply(replyTo(inv, 180, "Ringing"));
        MessageContext cancel = proxy.request(request("CANCEL", "sip:bob@127.0.0.1:5080", "z9hG4bK-inv-1", 1, ""));
        assertEquals(1, tm.t_lookup_cancel(cancel));
        assertEquals(1, tm.t_check_trans(cancel));
        assertEquals(1, relay(cancel));
        FakeProxy.Sent ok = proxy.sentTo(UAC).get(proxy.sentTo(UAC).size() - 1);
        assertEquals("SIP/2.0 200 canceling", ok.firstLine());
        assertEquals("1 CANCEL", ok.parse().header("CSeq"));
        FakeProxy.Sent c = proxy.sentTo(UAS).get(1);
        SipMessage cm = c.parse();
        assertEquals("CANCEL", cm.method());
        assertEquals(inv.parse().topVia().branch(), cm.topVia().branch());
        assertEquals("1 CANCEL", cm.header("CSeq"));
        assertEquals(1, tm.t_is_canceled(proxy.request(invite())));
        // downstream answers the CANCEL and the INVITE
        assertTrue(deliverReply(replyTo(c, 200, "OK")));
        assertTrue(deliverReply(replyTo(inv, 487, "Request Terminated")));
        assertEquals("SIP/2.0 487 Request Terminated", proxy.last().firstLine());
        assertEquals(UAC, proxy.last().dst().address().getPort());
        assertEquals("ACK", proxy.sentTo(UAS).get(2).parse().method());
        // the CANCEL retransmission gets the 200 again
        int up = proxy.sentTo(UAC).size();
        assertEquals(0, tm.t_relay_cancel(proxy.request(request("CANCEL", "sip:bob@127.0.0.1:5080", "z9hG4bK-inv-1", 1, ""))));
        assertEquals(up + 1, proxy.sentTo(UAC).size());
    }

    @Test
    void cancelBeforeAnyProvisionalWaitsForOne() throws Exception {
        relay(proxy.request(invite()));
        FakeProxy.Sent inv = proxy.sentTo(UAS).get(0);
        relay(proxy.request(request("CANCEL", "sip:bob@127.0.0.1:5080", "z9hG4bK-inv-1", 1, "")));
        assertEquals(1, proxy.sentTo(UAS).size(), "no CANCEL before a provisional");
        deliverReply(replyTo(inv, 100, "Trying"));
        assertEquals("CANCEL", proxy.sentTo(UAS).get(1).parse().method());
    }

    @Test
    void timeoutGives408AndRunsFailureRoute() throws Exception {
        MessageContext ctx = proxy.request(invite());
        tm.t_on_failure(ctx, "MISSED");
        List<Integer> seen = new java.util.ArrayList<>();
        proxy.routes.put("MISSED", f -> {
            assertEquals(RouteType.FAILURE, f.routeType());
            seen.add(tm.t_branch_timeout(f));
            seen.add(tm.t_check_status(f, "^408$"));
            seen.add(tm.t_any_replied(f));
        });
        relay(ctx);
        clock.advance(30000);
        assertEquals(List.of("MISSED"), proxy.routesRun);
        assertEquals(List.of(1, 1, -1), seen);
        assertEquals("SIP/2.0 408 Request Timeout", proxy.last().firstLine());
        assertTrue(proxy.last().parse().header("To").contains("tag="));
    }

    @Test
    void ringingBranchIsCancelledOnTimeoutAndItsLate487Acked() throws Exception {
        relay(proxy.request(invite()));
        FakeProxy.Sent inv = proxy.sentTo(UAS).get(0);
        deliverReply(replyTo(inv, 180, "Ringing"));
        clock.advance(120000);
        assertEquals("SIP/2.0 408 Request Timeout", proxy.sentTo(UAC).get(proxy.sentTo(UAC).size() - 1).firstLine());
        FakeProxy.Sent cancel = proxy.sentTo(UAS).get(1);
        assertEquals("CANCEL", cancel.parse().method());
        deliverReply(replyTo(cancel, 200, "OK"));
        int up = proxy.sentTo(UAC).size();
        deliverReply(replyTo(inv, 487, "Request Terminated"));
        assertEquals("ACK", proxy.last().parse().method());
        assertEquals(UAS, proxy.last().dst().address().getPort());
        assertEquals(up, proxy.sentTo(UAC).size(), "the late 487 is not relayed");
    }

    @Test
    void failureRouteForksSerially() throws Exception {
        MessageContext ctx = proxy.request(invite());
        tm.t_on_failure(ctx, "NEXT");
        proxy.routes.put("NEXT", f -> {
            f.msg().setRequestUri("sip:bob@127.0.0.1:5090");
            assertEquals(1, tm.t_relay(f));
        });
        relay(ctx);
        FakeProxy.Sent first = proxy.sentTo(UAS).get(0);
        deliverReply(replyTo(first, 486, "Busy Here"));
        List<FakeProxy.Sent> second = proxy.sentTo(UAS2);
        assertEquals(1, second.size(), "new branch to the next destination");
        SipMessage out = second.get(0).parse();
        assertEquals("sip:bob@127.0.0.1:5090", out.requestUri());
        assertTrue(out.topVia().branch().endsWith(".1"), out.topVia().branch());
        assertFalse(proxy.sentTo(UAC).stream().anyMatch(s -> s.firstLine().contains("486")), "486 not relayed");
        deliverReply(replyTo(second.get(0), 200, "OK"));
        assertEquals("SIP/2.0 200 OK", proxy.last().firstLine());
    }

    @Test
    void bestFinalOfParallelBranchesWins() throws Exception {
        MessageContext ctx = proxy.request(invite());
        ctx.appendBranch("sip:carol@127.0.0.1:5090");
        relay(ctx);
        FakeProxy.Sent a = proxy.sentTo(UAS).get(0), b = proxy.sentTo(UAS2).get(0);
        deliverReply(replyTo(a, 503, "Service Unavailable"));
        assertFalse(proxy.last().firstLine().contains("503"));
        deliverReply(replyTo(b, 404, "Not Found"));
        assertEquals("SIP/2.0 404 Not Found", proxy.last().firstLine());
    }

    /** A reply with one extra header line. */
    private static String replyTo(FakeProxy.Sent req, int code, String reason, String header) {
        String r = replyTo(req, code, reason);
        return r.replace("Content-Length: 0\r\n", header + "\r\nContent-Length: 0\r\n");
    }

    @Test
    void challengesOfParallelBranchesAreAggregated() throws Exception {
        MessageContext ctx = proxy.request(invite());
        ctx.appendBranch("sip:carol@127.0.0.1:5090");
        relay(ctx);
        FakeProxy.Sent a = proxy.sentTo(UAS).get(0), b = proxy.sentTo(UAS2).get(0);
        deliverReply(replyTo(a, 401, "Unauthorized", "WWW-Authenticate: Digest realm=\"a\", nonce=\"1\""));
        deliverReply(replyTo(b, 407, "Proxy Authentication Required", "Proxy-Authenticate: Digest realm=\"b\", nonce=\"2\""));
        SipMessage up = proxy.last().parse();
        assertEquals(401, up.status());
        assertEquals("Unauthorized", up.reason());
        assertEquals(List.of("Digest realm=\"a\", nonce=\"1\""), up.headers("WWW-Authenticate"));
        assertEquals(List.of("Digest realm=\"b\", nonce=\"2\""), up.headers("Proxy-Authenticate"));
    }

    @Test
    void withoutAggregationTheFirst401IsRelayed() throws Exception {
        tm.aggregateChallenges(0);
        MessageContext ctx = proxy.request(invite());
        ctx.appendBranch("sip:carol@127.0.0.1:5090");
        relay(ctx);
        FakeProxy.Sent a = proxy.sentTo(UAS).get(0), b = proxy.sentTo(UAS2).get(0);
        deliverReply(replyTo(b, 407, "Proxy Authentication Required", "Proxy-Authenticate: Digest realm=\"b\""));
        deliverReply(replyTo(a, 401, "Unauthorized", "WWW-Authenticate: Digest realm=\"a\""));
        SipMessage up = proxy.last().parse();
        assertEquals(401, up.status());
        assertEquals(List.of(), up.headers("Proxy-Authenticate"));
    }

    /** failure_reply_mode 3 (the default): a new leg's failure does not bring back the first leg's reply. */
    @Test
    void failureReplyModeDropsTheEarlierLegsReplies() throws Exception {
        assertEquals("SIP/2.0 404 Not Found", serialForkEnding(null));
        // mode 0 keeps all: the first leg's 302 beats the second leg's 404 again
        setUp();
        tm.failureReplyMode(0);
        assertEquals("SIP/2.0 302 Moved", serialForkEnding(null));
        // t_drop_replies("n") in the route keeps them too, whatever the modparam
        setUp();
        assertEquals("SIP/2.0 302 Moved", serialForkEnding("n"));
    }

    /** First leg answers 302, failure_route relays to the next hop which answers 404: what goes upstream. */
    private String serialForkEnding(String dropMode) throws Exception {
        MessageContext ctx = proxy.request(invite());
        tm.t_on_failure(ctx, "NEXT");
        proxy.routes.put("NEXT", f -> {
            if (dropMode != null) tm.t_drop_replies(f, dropMode);
            f.msg().setRequestUri("sip:bob@127.0.0.1:5090");
            assertEquals(1, tm.t_relay(f));
        });
        relay(ctx);
        deliverReply(replyTo(proxy.sentTo(UAS).get(0), 302, "Moved"));
        deliverReply(replyTo(proxy.sentTo(UAS2).get(0), 404, "Not Found"));
        return proxy.sentTo(UAC).getLast().firstLine();
    }

    @Test
    void nonInviteRetransmitsAndTimesOutWith408() throws Exception {
        MessageContext ctx = proxy.request(request("MESSAGE", "sip:bob@127.0.0.1:5080", "z9hG4bK-msg-1", 2, ""));
        assertEquals(1, relay(ctx));
        assertEquals(0, proxy.sentTo(UAC).size(), "no 100 for non-INVITE");
        clock.advance(500);
        clock.advance(1000);
        clock.advance(2000);
        clock.advance(4000);
        assertEquals(5, proxy.sentTo(UAS).size(), "timer E: 0.5, 1, 2, 4 s");
        clock.advance(30000 - 7500);
        assertEquals("SIP/2.0 408 Request Timeout", proxy.last().firstLine());
        assertEquals(1, tm.stats().snapshot().get("4xx"));
    }

    @Test
    void checkTransCodes() throws Exception {
        MessageContext fresh = proxy.request(invite());
        assertEquals(-1, tm.t_check_trans(fresh));
        MessageContext noInvite = proxy.request(request("CANCEL", "sip:bob@127.0.0.1:5080", "z9hG4bK-none", 1, ""));
        assertEquals(-1, tm.t_check_trans(noInvite));
        assertEquals(-1, tm.t_lookup_cancel(noInvite));
        assertEquals(-1, tm.t_lookup_cancel(fresh), "not a CANCEL");
        assertEquals(1, tm.t_newtran(fresh));
        assertEquals(-10, tm.t_newtran(fresh), "already created for this message");
        MessageContext ack = proxy.request(request("ACK", "sip:bob@127.0.0.1:5080", "z9hG4bK-other", 1, ";tag=x"));
        assertEquals(-1, tm.t_check_trans(ack));
        MessageContext f = proxy.request(invite());
        f.routeType(RouteType.FAILURE);
        assertEquals(1, tm.t_check_trans(f));
    }

    @Test
    void lookupCancelCopiesInviteFlags() throws Exception {
        MessageContext ctx = proxy.request(invite());
        ctx.setFlags(0x5);
        relay(ctx);
        MessageContext cancel = proxy.request(request("CANCEL", "sip:bob@127.0.0.1:5080", "z9hG4bK-inv-1", 1, ""));
        assertEquals(1, tm.t_lookup_cancel(cancel, 1));
        assertEquals(0x5, cancel.flags());
    }

    @Test
    void rfc2543RequestsMatchWithoutCookie() throws Exception {
        String old = request("INVITE", "sip:bob@127.0.0.1:5080", "oldbranch", 1, "");
        relay(proxy.request(old));
        assertEquals(0, tm.t_check_trans(proxy.request(old)));
        MessageContext cancel = proxy.request(request("CANCEL", "sip:bob@127.0.0.1:5080", "oldbranch", 1, ""));
        assertEquals(1, tm.t_lookup_cancel(cancel));
    }

    @Test
    void sendFailureGivesDelayed477() throws Exception {
        MessageContext ctx = proxy.request(request("MESSAGE", "sip:bob@127.0.0.1:5080;transport=tcp", "z9hG4bK-m2", 3, ""));
        ctx.setForwardNoConnect(true);
        assertEquals(-1, tm.t_relay(ctx), "as Kamailio 5.6.3: -1 for a send failure");
        assertEquals(InternalErrors.E_SEND, InternalErrors.last(ctx), "what native sl_reply_error() answers with");
        assertEquals(0, proxy.sent.size(), "reply delayed until the script ends");
        tm.afterRequestRoute(ctx);
        assertEquals("SIP/2.0 477 Unfortunately error on sending to next hop occurred (477/TM)", proxy.last().firstLine());
    }

    @Test
    void scriptReplyAfterFailedRelaySuppressesDelayedReply() throws Exception {
        MessageContext ctx = proxy.request(request("MESSAGE", "sip:bob@unresolvable.invalid", "z9hG4bK-m3", 3, ""));
        assertEquals(-478, tm.t_relay(ctx));
        assertEquals(1, tm.t_reply(ctx, 404, "Not here"));
        tm.afterRequestRoute(ctx);
        assertEquals(1, proxy.sent.size());
        assertEquals("SIP/2.0 404 Not here", proxy.last().firstLine());
    }

    @Test
    void disabledInternalReplyReturnsMinus4() throws Exception {
        MessageContext ctx = proxy.request(request("MESSAGE", "sip:bob@127.0.0.1:5080;transport=tcp", "z9hG4bK-m4", 3, ""));
        ctx.setForwardNoConnect(true);
        assertEquals(-4, tm.t_relay_to_flags(ctx, 2));
        tm.afterRequestRoute(ctx);
        assertEquals(0, proxy.sent.size());
    }

    @Test
    void branchRouteRunsPerBranchAndDropDiscardsIt() throws Exception {
        MessageContext ctx = proxy.request(invite());
        ctx.appendBranch("sip:carol@127.0.0.1:5090");
        tm.t_on_branch(ctx, "B");
        proxy.routes.put("B", b -> {
            assertEquals(RouteType.BRANCH, b.routeType());
            if (b.msg().requestUri().contains("carol")) b.setDrop();
        });
        assertEquals(1, relay(ctx));
        assertEquals(List.of("B", "B"), proxy.routesRun);
        assertEquals(1, proxy.sentTo(UAS).size());
        assertEquals(0, proxy.sentTo(UAS2).size());
    }

    @Test
    void onReplyRouteCanDropProvisional() throws Exception {
        MessageContext ctx = proxy.request(invite());
        tm.t_on_reply(ctx, "R");
        proxy.routes.put("R", r -> {
            assertEquals(RouteType.TM_ONREPLY, r.routeType());
            assertEquals(r.msg().status() < 200 ? 1 : -1, tm.t_check_status(r, "18[0-9]"));
            r.setDrop();
        });
        relay(ctx);
        deliverReply(replyTo(proxy.sentTo(UAS).get(0), 180, "Ringing"));
        assertEquals(1, proxy.sentTo(UAC).size(), "only the 100");
        deliverReply(replyTo(proxy.sentTo(UAS).get(0), 200, "OK"));
        assertEquals("SIP/2.0 200 OK", proxy.last().firstLine(), "drop ignored for finals");
    }

    @Test
    void isSetAndTmxRouteTests() throws Exception {
        MessageContext ctx = proxy.request(invite());
        assertEquals(-1, tm.t_is_set(ctx, "failure_route"));
        tm.t_on_failure(ctx, "F");
        assertEquals(1, tm.t_is_set(ctx, "failure_route"));
        tm.t_on_failure(ctx, "");
        assertEquals(-1, tm.t_is_set(ctx, "f"));
        TmxModule tmx = new TmxModule();
        assertEquals(1, tmx.t_is_request_route(ctx));
        assertEquals(-1, tmx.t_is_failure_route(ctx));
        assertEquals(-1, tmx.t_precheck_trans(ctx));
    }

    @Test
    void functionTableAcceptsTheModules() throws Exception {
        FunctionTable t = FunctionTable.build(List.of(tm, new TmxModule()));
        assertNotNull(t.kemi("tm", "t_relay"));
        assertNotNull(t.nativeFunction("t_relay", 2));
        assertNull(t.kemi("tm", "t_relay_cancel"));
        assertNotNull(t.nativeFunction("t_relay_cancel", 0));
        assertNotNull(t.nativeFunction("t_set_fr", 1));
        assertNotNull(t.kemi("tm", "t_set_fr"));
        assertNotNull(t.kemi("tmx", "t_precheck_trans"));
        assertNotNull(t.nativeFunction("t_drop", 0));
        assertNotNull(t.nativeFunction("t_drop", 1));
        assertNotNull(t.nativeFunction("t_drop_replies", 0));
        assertNotNull(t.kemi("tm", "t_drop_replies_all"));
    }

    @Test
    void tcpBranchIsNotRetransmitted() throws Exception {
        relay(proxy.request(request("INVITE", "sip:bob@127.0.0.1:5080;transport=tcp", "z9hG4bK-t1", 1, "")));
        List<FakeProxy.Sent> down = proxy.sentTo(UAS);
        assertEquals(1, down.size());
        assertEquals(dev.kemi.runtime.transport.Protocol.TCP, down.get(0).dst().proto());
        assertTrue(down.get(0).parse().topVia().text().startsWith("SIP/2.0/TCP 127.0.0.1;branch="));
        clock.advance(4000);
        assertEquals(1, proxy.sentTo(UAS).size());
    }

    @Test
    void sixHundredCancelsTheOtherBranchesAndWins() throws Exception {
        MessageContext ctx = proxy.request(invite());
        ctx.appendBranch("sip:carol@127.0.0.1:5090");
        relay(ctx);
        FakeProxy.Sent a = proxy.sentTo(UAS).get(0), b = proxy.sentTo(UAS2).get(0);
        deliverReply(replyTo(a, 180, "Ringing"));
        deliverReply(replyTo(b, 180, "Ringing"));
        deliverReply(replyTo(a, 603, "Decline"));
        assertEquals("CANCEL", proxy.sentTo(UAS2).get(1).parse().method());
        deliverReply(replyTo(b, 487, "Request Terminated"));
        assertEquals("SIP/2.0 603 Decline", proxy.last().firstLine());
    }

    @Test
    void okOnOneBranchCancelsTheOthers() throws Exception {
        MessageContext ctx = proxy.request(invite());
        ctx.appendBranch("sip:carol@127.0.0.1:5090");
        relay(ctx);
        FakeProxy.Sent a = proxy.sentTo(UAS).get(0), b = proxy.sentTo(UAS2).get(0);
        deliverReply(replyTo(b, 183, "Session Progress"));
        deliverReply(replyTo(a, 200, "OK"));
        assertEquals("SIP/2.0 200 OK", proxy.sentTo(UAC).get(proxy.sentTo(UAC).size() - 1).firstLine());
        SipMessage cancel = proxy.sentTo(UAS2).get(1).parse();
        assertEquals("CANCEL", cancel.method());
        assertEquals("SIP;cause=200;text=\"Call completed elsewhere\"", cancel.header("Reason"));
        int up = proxy.sentTo(UAC).size();
        deliverReply(replyTo(b, 487, "Request Terminated"));
        assertEquals(up, proxy.sentTo(UAC).size(), "487 after the 200 is not relayed");
        assertEquals("ACK", proxy.sentTo(UAS2).get(2).parse().method());
    }

    @Test
    void failureRouteCanReplyItself() throws Exception {
        MessageContext ctx = proxy.request(invite());
        tm.t_on_failure(ctx, "F");
        proxy.routes.put("F", f -> {
            assertEquals(1, tm.t_check_status(f, "486"));
            assertEquals(1, tm.t_reply(f, 480, "Gone Fishing"));
        });
        relay(ctx);
        deliverReply(replyTo(proxy.sentTo(UAS).get(0), 486, "Busy Here"));
        assertEquals("SIP/2.0 480 Gone Fishing", proxy.last().firstLine());
        assertEquals(1, proxy.sentTo(UAC).stream().filter(s -> s.firstLine().startsWith("SIP/2.0 4")).count());
    }

    @Test
    void branchFailureRouteRunsPerNegativeReply() throws Exception {
        MessageContext ctx = proxy.request(invite());
        tm.t_on_branch_failure(ctx, "BF");
        List<Integer> types = new java.util.ArrayList<>();
        proxy.routes.put("BF", r -> {
            types.add(r.routeType());
            types.add(tm.t_check_status(r, "486"));
            types.add(tm.t_branch_replied(r));
        });
        relay(ctx);
        deliverReply(replyTo(proxy.sentTo(UAS).get(0), 486, "Busy Here"));
        assertEquals(List.of(RouteType.BRANCH_FAILURE, 1, 1), types);
    }

    @Test
    void maxLifetimeEndsANonInviteTransaction() throws Exception {
        MessageContext ctx = proxy.request(request("OPTIONS", "sip:bob@127.0.0.1:5080", "z9hG4bK-o1", 4, ""));
        tm.t_set_fr(ctx, 0, 60000);
        relay(ctx);
        clock.advance(31999);
        assertFalse(proxy.last().firstLine().startsWith("SIP/2.0"));
        clock.advance(1);
        assertEquals("SIP/2.0 408 Request Timeout", proxy.last().firstLine());
    }

    @Test
    void lateSendFailureFakes477() throws Exception {
        relay(proxy.request(request("MESSAGE", "sip:bob@127.0.0.1:5080;transport=tcp", "z9hG4bK-m5", 3, "")));
        assertEquals(1, proxy.lateFailures.size());
        proxy.lateFailures.get(0).run();
        assertEquals("SIP/2.0 477 Unfortunately error on sending to next hop occurred (477/TM)", proxy.last().firstLine());
    }

    @Test
    void autoInv100CanBeTurnedOff() throws Exception {
        MessageContext ctx = proxy.request(invite());
        tm.t_set_auto_inv_100(ctx, 0);
        relay(ctx);
        assertEquals(0, proxy.sentTo(UAC).size());
        MessageContext other = proxy.request(request("INVITE", "sip:bob@127.0.0.1:5080", "z9hG4bK-inv-2", 1, ""));
        assertEquals(1, tm.t_relay_to_flags(other, 1));
        assertEquals(0, proxy.sentTo(UAC).size());
    }

    @Test
    void relayToProxyForcesTheDestination() throws Exception {
        MessageContext ctx = proxy.request(request("MESSAGE", "sip:bob@example.invalid", "z9hG4bK-m6", 3, ""));
        assertEquals(1, tm.t_relay_to_proxy(ctx, "udp:127.0.0.1:5090"));
        FakeProxy.Sent s = proxy.sentTo(UAS2).get(0);
        assertEquals("sip:bob@example.invalid", s.parse().requestUri());
        MessageContext ctx2 = proxy.request(request("MESSAGE", "sip:bob@example.invalid", "z9hG4bK-m7", 3, ""));
        assertEquals(1, tm.t_relay(ctx2, "127.0.0.1", "5080"));
        assertEquals(1, proxy.sentTo(UAS).size());
    }

    @Test
    void statsCountTransactionsAndReplies() throws Exception {
        relay(proxy.request(invite()));
        deliverReply(replyTo(proxy.sentTo(UAS).get(0), 180, "Ringing"));
        deliverReply(replyTo(proxy.sentTo(UAS).get(0), 200, "OK"));
        clock.advance(5000);
        var st = tm.stats().snapshot();
        assertEquals(1, st.get("created"));
        assertEquals(1, st.get("freed"));
        assertEquals(0, st.get("current"));
        assertEquals(2, st.get("rpl_received"));
        assertEquals(1, st.get("rpl_generated"));
        assertEquals(3, st.get("rpl_sent"));
        assertEquals(1, st.get("2xx"));
    }

    @Test
    void droppedRepliesLoseToTheNextBranchSet() throws Exception {
        MessageContext ctx = proxy.request(invite());
        tm.t_on_failure(ctx, "NEXT");
        proxy.routes.put("NEXT", f -> {
            assertEquals(1, tm.t_drop_replies(f));
            f.msg().setRequestUri("sip:bob@127.0.0.1:5090");
            tm.t_relay(f);
        });
        relay(ctx);
        deliverReply(replyTo(proxy.sentTo(UAS).get(0), 404, "Not Found"));
        deliverReply(replyTo(proxy.sentTo(UAS2).get(0), 486, "Busy Here"));
        assertEquals("SIP/2.0 486 Busy Here", proxy.last().firstLine(), "404 would win if not dropped");
    }

    @Test
    void tmxCancelsBranchesAndRepliesByCallId() throws Exception {
        TmxModule tmx = new TmxModule();
        tmx.useTm(tm);
        MessageContext ctx = proxy.request(invite());
        ctx.appendBranch("sip:carol@127.0.0.1:5090");
        tm.t_on_reply(ctx, "R");
        proxy.routes.put("R", r -> {
            if (r.msg().status() == 183) assertEquals(1, tmx.t_cancel_branches(r, "others"));
        });
        relay(ctx);
        deliverReply(replyTo(proxy.sentTo(UAS).get(0), 180, "Ringing"));
        deliverReply(replyTo(proxy.sentTo(UAS2).get(0), 183, "Session Progress"));
        assertEquals("CANCEL", proxy.sentTo(UAS).get(1).parse().method(), "the other branch is cancelled");
        assertEquals(1, proxy.sentTo(UAS2).size());
        assertEquals(1, tmx.t_reply_callid(ctx, "call-1@test", "1", 480, "Later"));
        assertEquals("SIP/2.0 480 Later", proxy.sentTo(UAC).get(proxy.sentTo(UAC).size() - 1).firstLine());
        assertEquals(-1, tmx.t_reply_callid(ctx, "other@test", "1", 480, "Later"));
    }

    @Test
    void serviceUnavailableIsPassedOnAs500() throws Exception {
        relay(proxy.request(invite()));
        deliverReply(replyTo(proxy.sentTo(UAS).get(0), 503, "Service Unavailable"));
        SipMessage up = proxy.sentTo(UAC).get(proxy.sentTo(UAC).size() - 1).parse();
        assertEquals(500, up.status());
        assertEquals("Service Unavailable", up.reason());
        assertEquals(1, up.headerValues("Via").size());
    }

    @Test
    void retransmissionIntervalsPerTransaction() throws Exception {
        MessageContext ctx = proxy.request(request("MESSAGE", "sip:bob@127.0.0.1:5080", "z9hG4bK-r1", 5, ""));
        tm.t_set_retr(ctx, 100, 400);
        relay(ctx);
        clock.advance(100);
        clock.advance(200);
        clock.advance(400);
        clock.advance(400);
        assertEquals(5, proxy.sentTo(UAS).size(), "100, 200, 400, 400 ms");
    }

    @Test
    void quietTimeoutWithNoisyCtimerOff() throws Exception {
        tm.noisyCtimer(0);
        relay(proxy.request(invite()));
        clock.advance(30000);
        assertEquals(1, proxy.sentTo(UAC).size(), "only the 100, no 408");
    }

    @Test
    void cancelBMethodZeroFakes487ForUnansweredBranches() throws Exception {
        tm.cancelBMethod(0);
        relay(proxy.request(invite()));
        relay(proxy.request(request("CANCEL", "sip:bob@127.0.0.1:5080", "z9hG4bK-inv-1", 1, "")));
        assertEquals(1, proxy.sentTo(UAS).size(), "no CANCEL downstream");
        assertTrue(proxy.sentTo(UAC).stream().anyMatch(m -> m.firstLine().equals("SIP/2.0 487 Request Terminated")));
        assertEquals("SIP/2.0 200 canceling", proxy.last().firstLine());
    }
}
