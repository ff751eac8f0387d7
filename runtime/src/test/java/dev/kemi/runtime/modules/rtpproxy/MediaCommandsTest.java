package dev.kemi.runtime.modules.rtpproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.api.RouteType;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rtpproxy functions against a scripted relay: what goes over the wire and the rewritten SDP. */
class MediaCommandsTest {

    static final String OFFER = """
            v=0\r
            o=alice 2890844526 2890844526 IN IP4 10.0.0.5\r
            s=-\r
            c=IN IP4 10.0.0.5\r
            t=0 0\r
            m=audio 20000 RTP/AVP 0 8 101\r
            a=rtpmap:0 PCMU/8000\r
            a=rtcp:20001\r
            """;

    static final String ANSWER = """
            v=0\r
            o=bob 1 1 IN IP4 10.0.0.9\r
            s=-\r
            c=IN IP4 10.0.0.9\r
            t=0 0\r
            m=audio 30000 RTP/AVP 0\r
            """;

    private ScriptedRelay relay;
    private RtpproxySets sets;
    private ControlClient client;
    private NodeSelector selector;
    private MediaCommands commands;
    /** The clock rtpproxy_disable_tout is measured on, advanced by the tests. */
    private long nanos;

    @BeforeEach
    void start() throws IOException {
        relay = new ScriptedRelay();
        relay.answer = c -> c.startsWith("U") ? "40000 192.0.2.1" : c.startsWith("L") ? "40002 192.0.2.1" : "0";
        connect();
    }

    private void connect() {
        sets = new RtpproxySets();
        sets.add(relay.url());
        client = new ControlClient(() -> nanos);
        selector = new NodeSelector(client);
        commands = new MediaCommands(client, selector);
        for (RtpproxyNode n : sets.allNodes()) {
            n.disabled = selector.test(n, false, true);
        }
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    private int offer(FakeSignalling m, String flags) {
        return commands.offerAnswer(m, sets.defaultSet(), flags, m.localIp(), true, false);
    }

    private int answer(FakeSignalling m, String flags) {
        return commands.offerAnswer(m, sets.defaultSet(), flags, m.localIp(), false, false);
    }

    @Test
    void handshakeQueriesVersionAndFeatures() {
        assertEquals(List.of("V", "VF 20050322", "VF 20071116", "VF 20081102"), relay.commands);
        RtpproxyNode node = sets.allNodes().getFirst();
        assertFalse(node.disabled);
        assertTrue(node.payloadListSupported);
        assertFalse(node.repacketizationSupported);
    }

    @Test
    void offerSendsUpdateAndRewritesTheSdp() {
        FakeSignalling invite = FakeSignalling.invite(OFFER);
        assertEquals(1, offer(invite, null));
        assertEquals(List.of("Uc0,8,101 call-1@example 10.0.0.5 20000 ftag;1"), relay.calls());
        assertEquals("""
                v=0\r
                o=alice 2890844526 2890844526 IN IP4 192.0.2.1\r
                s=-\r
                c=IN IP4 192.0.2.1\r
                t=0 0\r
                m=audio 40000 RTP/AVP 0 8 101\r
                a=rtpmap:0 PCMU/8000\r
                a=rtcp:40001\r
                a=nortpproxy:yes\r
                """, invite.body);
        // the marker stops a second rewrite unless f is given
        assertEquals(-2, offer(invite, null));
        assertEquals(1, offer(invite, "f"));
    }

    @Test
    void answerInReplyKeepsTagOrderAndOfferInReplySwapsIt() {
        FakeSignalling invite = FakeSignalling.invite(OFFER);
        FakeSignalling ok = invite.reply(200, ANSWER);
        assertEquals(1, answer(ok, null));
        FakeSignalling lateOffer = invite.reply(200, ANSWER);
        assertEquals(1, offer(lateOffer, null));
        FakeSignalling ack = FakeSignalling.invite(ANSWER);
        ack.method = "ACK";
        ack.toTag = "ttag";
        assertEquals(1, answer(ack, null));
        assertEquals(List.of(
                "Lc0 call-1@example 10.0.0.9 30000 ftag;1 ttag;1",
                "Uc0 call-1@example 10.0.0.9 30000 ttag;1 ftag;1",
                "Lc0 call-1@example 10.0.0.5 30000 ttag;1 ftag;1"), relay.calls());
        assertTrue(ok.body.contains("m=audio 40002 RTP/AVP 0\r\n"), ok.body);
    }

    @Test
    void flagsBecomeModifiers() {
        FakeSignalling m = FakeSignalling.invite(OFFER);
        assertEquals(1, offer(m, "ie"));
        m.body = OFFER;
        assertEquals(1, offer(m, "w"));
        m.body = OFFER;
        assertEquals(1, offer(m, "r"));
        m.body = OFFER;
        assertEquals(1, offer(m, "a"));
        m.body = OFFER;
        assertEquals(1, offer(m, "1"));
        m.body = OFFER;
        assertEquals(1, offer(m, "2z20"));
        m.body = OFFER;
        assertEquals(1, offer(m, "x"));
        m.body = OFFER;
        m.extraId = "xid";
        assertEquals(1, offer(m, "b"));
        assertEquals(List.of(
                "UIEc0,8,101 call-1@example 10.0.0.5 20000 ftag;1",
                "USc0,8,101 call-1@example 10.0.0.5 20000 ftag;1",
                "Uc0,8,101 call-1@example 10.0.0.5 20000 ftag;1",
                "UAc0,8,101 call-1@example 10.0.0.5 20000 ftag;1",
                "Uc0,8,101 call-1@example;z9hG4bK-one 10.0.0.5 20000 ftag;1",
                // Z only goes to relays that answered VF 20071116 with 1
                "Uc0,8,101 call-1@example;z9hG4bK-two 10.0.0.5 20000 ftag;1",
                "UIEc0,8,101 call-1@example 10.0.0.5 20000 ftag;1",
                "Uc0,8,101 call-1@example;xid 10.0.0.5 20000 ftag;1"), relay.calls());
    }

    @Test
    void trustedAddressComesFromTheSdpOtherwiseFromTheSipSource() {
        FakeSignalling m = FakeSignalling.invite(OFFER.replace("c=IN IP4 10.0.0.5", "c=IN IP4 172.16.1.1"));
        m.sourceIp = "203.0.113.9";
        assertEquals(1, offer(m, null));
        m.body = OFFER.replace("c=IN IP4 10.0.0.5", "c=IN IP4 172.16.1.1");
        assertEquals(1, offer(m, "r"));
        assertEquals(List.of(
                "Uc0,8,101 call-1@example 203.0.113.9 20000 ftag;1",
                "Uc0,8,101 call-1@example 172.16.1.1 20000 ftag;1"), relay.calls());
    }

    @Test
    void badFlagsAndMissingTagsReturnMinusOne() {
        FakeSignalling m = FakeSignalling.invite(OFFER);
        assertEquals(-1, offer(m, "q"));
        assertEquals(-1, answer(m, "l"), "l in an answer");
        assertEquals(-1, offer(m, "l"), "lookup needs a To-tag");
        FakeSignalling ackWithoutTag = FakeSignalling.invite(OFFER);
        ackWithoutTag.method = "ACK";
        assertEquals(-1, answer(ackWithoutTag, null));
        m.body = null;
        assertEquals(-1, offer(m, null));
        assertTrue(relay.calls().isEmpty());
    }

    @Test
    void everyMediaLineGetsItsOwnCommandAndPortZeroStaysZero() {
        String sdp = OFFER + "m=video 0 RTP/AVP 96\r\nm=audio 20004 RTP/AVP 0\r\nc=IN IP4 10.0.0.6\r\n";
        relay.answer = c -> c.contains(";1") ? "40000 192.0.2.1" : c.contains(";2") ? "40010 192.0.2.1" : "40020 192.0.2.1";
        FakeSignalling m = FakeSignalling.invite(sdp);
        assertEquals(1, offer(m, null));
        assertEquals(List.of(
                "Uc0,8,101 call-1@example 10.0.0.5 20000 ftag;1",
                "Uc96 call-1@example 10.0.0.5 0 ftag;2",
                "Uc0 call-1@example 10.0.0.5 20004 ftag;3"), relay.calls());
        assertTrue(m.body.contains("m=video 0 RTP/AVP 96\r\n"), m.body);
        assertTrue(m.body.contains("m=audio 40020 RTP/AVP 0\r\nc=IN IP4 192.0.2.1\r\n"), m.body);
        assertTrue(m.body.contains("\r\nc=IN IP4 192.0.2.1\r\nt=0 0"), "session c= rewritten once: " + m.body);
    }

    @Test
    void holdKeepsTheNullAddress() {
        FakeSignalling m = FakeSignalling.invite(OFFER.replace("c=IN IP4 10.0.0.5", "c=IN IP4 0.0.0.0"));
        assertEquals(1, offer(m, null));
        assertTrue(m.body.contains("c=IN IP4 0.0.0.0\r\n"), m.body);
        assertTrue(m.body.contains("m=audio 40000 "), m.body);
        // Kamailio writes the same (null) address into o= as well
        assertTrue(m.body.contains("o=alice 2890844526 2890844526 IN IP4 0.0.0.0"), m.body);
    }

    @Test
    void barePortReplyUsesTheReceivingAddressAndIpv6ReplySwitchesFamily() {
        relay.answer = c -> "40000";
        FakeSignalling m = FakeSignalling.invite(OFFER);
        assertEquals(1, offer(m, null));
        assertTrue(m.body.contains("c=IN IP4 10.0.0.1\r\n"), m.body);
        relay.answer = c -> "40000 2001:db8::1 6";
        m.body = OFFER;
        assertEquals(1, offer(m, null));
        assertTrue(m.body.contains("c=IN IP6 2001:db8::1\r\n"), m.body);
        assertTrue(m.body.contains("o=alice 2890844526 2890844526 IN IP6 2001:db8::1\r\n"), m.body);
    }

    @Test
    void ipv6SdpAddsTheModifierAndAutoBridgeGoesExternalToInternal() {
        String v6 = OFFER.replace("IN IP4 10.0.0.5", "IN IP6 2001:db8::5");
        FakeSignalling m = FakeSignalling.invite(v6);
        assertEquals(1, offer(m, "x"));
        assertEquals(List.of("UEI6c0,8,101 call-1@example 10.0.0.5 20000 ftag;1"), relay.calls());
        assertTrue(m.body.contains("c=IN IP4 192.0.2.1"), "family follows the relay's reply: " + m.body);
    }

    @Test
    void forcedAddressGoesIntoTheSdp() {
        FakeSignalling m = FakeSignalling.invite(OFFER);
        assertEquals(1, commands.offerAnswer(m, sets.defaultSet(), "", "198.51.100.7", true, true));
        assertTrue(m.body.contains("c=IN IP4 198.51.100.7\r\n"), m.body);
    }

    @Test
    void sessionConnectionIsRewrittenWithFlagC() {
        String sdp = OFFER + "c=IN IP4 10.0.0.5\r\n";
        FakeSignalling m = FakeSignalling.invite(sdp);
        assertEquals(1, offer(m, null));
        assertTrue(m.body.contains("s=-\r\nc=IN IP4 10.0.0.5\r\n"), "session c= kept without c: " + m.body);
        m.body = sdp;
        assertEquals(1, offer(m, "fc"));
        assertTrue(m.body.contains("s=-\r\nc=IN IP4 192.0.2.1\r\n"), m.body);
    }

    @Test
    void multipartBodyRewritesTheSdpPart() {
        String body = "--b1\r\nContent-Type: application/sdp\r\n\r\n" + OFFER
                + "--b1\r\nContent-Type: application/isup\r\n\r\nxyz\r\n--b1--\r\n";
        FakeSignalling m = FakeSignalling.invite(body);
        m.contentType = "multipart/mixed;boundary=b1";
        assertEquals(1, offer(m, null));
        assertTrue(m.body.contains("m=audio 40000 RTP/AVP 0 8 101\r\n"), m.body);
        assertTrue(m.body.contains("a=rtcp:40001\r\na=nortpproxy:yes\r\n--b1\r\nContent-Type: application/isup"), m.body);
    }

    @Test
    void destroySendsDeleteWithBothTags() {
        FakeSignalling bye = FakeSignalling.invite(null);
        bye.method = "BYE";
        bye.toTag = "ttag";
        assertEquals(1, commands.destroy(bye, sets.defaultSet(), null));
        assertEquals(1, commands.destroy(bye, sets.defaultSet(), "t"));
        assertEquals(1, commands.destroy(bye, sets.defaultSet(), "1ie"));
        assertEquals(-1, commands.destroy(bye, sets.defaultSet(), "z20"), "2 is Via2, 0 is unknown");
        assertEquals(List.of("D call-1@example ftag ttag", "D call-1@example ftag",
                "D call-1@example;z9hG4bK-one ftag ttag"), relay.calls());
    }

    @Test
    void manageDecidesByMethodAndReply() {
        FakeSignalling invite = FakeSignalling.invite(OFFER);
        assertEquals(1, commands.manage(invite, sets.defaultSet(), null, null));
        FakeSignalling ok = invite.reply(200, ANSWER);
        assertEquals(1, commands.manage(ok, sets.defaultSet(), null, null));
        FakeSignalling busy = invite.reply(486, null);
        assertEquals(1, commands.manage(busy, sets.defaultSet(), null, null));
        FakeSignalling options = FakeSignalling.invite(OFFER);
        options.method = "OPTIONS";
        assertEquals(-1, commands.manage(options, sets.defaultSet(), null, null));
        FakeSignalling inFailure = FakeSignalling.invite(OFFER);
        inFailure.routeType = RouteType.FAILURE;
        assertEquals(1, commands.manage(inFailure, sets.defaultSet(), null, null));
        FakeSignalling branchFailure = FakeSignalling.invite(OFFER);
        branchFailure.routeType = RouteType.BRANCH_FAILURE;
        assertEquals(1, commands.manage(branchFailure, sets.defaultSet(), null, null));
        assertEquals(List.of(
                "Uc0,8,101 call-1@example 10.0.0.5 20000 ftag;1",
                "Lc0 call-1@example 10.0.0.9 30000 ftag;1 ttag;1",
                "D call-1@example ftag ttag",
                "D call-1@example ftag"), relay.calls());
    }

    @Test
    void manageTreatsSdpInTheReplyToAnSdpLessInviteAsLateOffer() {
        FakeSignalling invite = FakeSignalling.invite(null);
        invite.callId = "late@example";
        assertEquals(-1, commands.manage(invite, sets.defaultSet(), null, null), "no SDP, nothing to do");
        FakeSignalling ok = invite.reply(200, ANSWER);
        assertEquals(1, commands.manage(ok, sets.defaultSet(), null, null));
        FakeSignalling ack = FakeSignalling.invite(OFFER);
        ack.callId = "late@example";
        ack.method = "ACK";
        ack.toTag = "ttag";
        assertEquals(1, commands.manage(ack, sets.defaultSet(), "", "198.51.100.7"));
        assertEquals(List.of(
                "Uc0 late@example 10.0.0.9 30000 ttag;1 ftag;1",
                "Lc0,8,101 late@example 10.0.0.5 20000 ttag;1 ftag;1"), relay.calls());
        assertTrue(ack.body.contains("c=IN IP4 198.51.100.7"), ack.body);
    }

    @Test
    void silentRelayIsDisabledAndOfferReturnsMinusThree() {
        client.timeoutSeconds = 1;
        client.retries = 1;
        relay.silent = true;
        FakeSignalling m = FakeSignalling.invite(OFFER);
        assertEquals(-3, offer(m, null));
        assertTrue(sets.allNodes().getFirst().disabled);
        assertEquals(OFFER, m.body, "SDP untouched");
        // disabled for rtpproxy_disable_tout: no further traffic to it
        int sent = relay.commands.size();
        assertEquals(-3, offer(m, null));
        assertEquals(sent, relay.commands.size());
    }

    @Test
    void disabledRelayIsTestedAgainAfterTheDisableTimeout() {
        client.timeoutSeconds = 1;
        client.retries = 1;
        client.disableSeconds = 1;
        relay.silent = true;
        assertEquals(-3, offer(FakeSignalling.invite(OFFER), null));
        relay.silent = false;
        assertEquals(-3, offer(FakeSignalling.invite(OFFER), null), "still within rtpproxy_disable_tout");
        nanos += TimeUnit.MILLISECONDS.toNanos(999);
        assertEquals(-3, offer(FakeSignalling.invite(OFFER), null), "1 ms before rtpproxy_disable_tout ends");
        nanos += TimeUnit.MILLISECONDS.toNanos(1);
        int before = relay.commands.size();
        assertEquals(1, offer(FakeSignalling.invite(OFFER), null));
        assertEquals(List.of("V", "VF 20050322", "VF 20071116", "VF 20081102"),
                relay.commands.subList(before, before + 4), "the handshake runs again before use");
    }

    @Test
    void relayWithoutRequiredFeatureIsNotUsed() throws IOException {
        relay.features = java.util.Set.of();
        connect();
        assertTrue(sets.allNodes().getFirst().disabled);
        assertEquals(-3, offer(FakeSignalling.invite(OFFER), null));
    }

    @Test
    void weightedSetsAndParsing() {
        RtpproxySets s = new RtpproxySets();
        s.add("udp:127.0.0.1:7722=2 unix:/run/rtpp.sock");
        s.add("1 == udp6:[::1]:7723");
        assertEquals(2, s.defaultSet().nodes().size());
        assertEquals(2, s.defaultSet().nodes().getFirst().weight);
        assertEquals(RtpproxyNode.Mode.UNIX, s.defaultSet().nodes().get(1).mode);
        assertEquals(RtpproxyNode.Mode.UDP6, s.get(1).nodes().getFirst().mode);
        assertEquals("0,8,101", MediaCommands.payloadList("0 8  101"));
    }
}
