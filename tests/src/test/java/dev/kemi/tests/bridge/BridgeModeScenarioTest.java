package dev.kemi.tests.bridge;

import static dev.kemi.tests.bridge.BridgeScenario.LAN;
import static dev.kemi.tests.bridge.BridgeScenario.PHONE;
import static dev.kemi.tests.bridge.BridgeScenario.PUBLIC;
import static dev.kemi.tests.bridge.BridgeScenario.WAN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.tests.SipWire;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The seed's bridge-mode scenario end to end, per routing front-end (one proxy each): a phone
 * on the WAN side calls the PBX on the LAN side; each side must see the relay's address for
 * its own side in the SDP and get the other side's RTP from that address. The Kamailio variants
 * run the same scripts on Kamailio 5.6.3 (with the relay beside it), so the expectations are
 * Kamailio's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BridgeModeScenarioTest {

    private static final Duration RTP_WAIT = Duration.ofSeconds(5);
    /** How long a packet that must not be relayed is waited for. */
    private static final Duration SILENCE = Duration.ofSeconds(1);

    private BridgeScenario scenario;

    /** The cfg in scripts/ and the KEMI script it loads (null for native). */
    abstract String cfg();

    abstract String script();

    /** Run on Kamailio 5.6.3 instead, to check the scripts and these expectations against it. */
    boolean onKamailio() {
        return false;
    }

    @BeforeAll
    void startProxy() throws IOException {
        assertTrue(!onKamailio() || KamailioBridge.installed(), "kamailio not installed: ./kemi test installs it");
        scenario = BridgeScenario.start(cfg(), script(), onKamailio());
    }

    @AfterAll
    void stopProxy() {
        if (scenario != null) {
            scenario.close();
        }
    }

    /** The ports of the relay in the SDP the PBX got (LAN side) and the phone got (WAN side). */
    private record Anchored(int lanPort, int wanPort) { }

    @Test
    void callIsAnchoredOnTheRelayInterfaceOfEachSideAndByeDeletesTheSession() throws IOException {
        try (BridgeCall call = new BridgeCall(scenario)) {
            Anchored media = establish(call);
            assertMediaFlows(call, media, "call");
            assertTrue(scenario.query(call.callId, call.fromTag).matches("\\d+ .*"), "the relay has the session");

            call.bye();
            assertEquals("E50", scenario.query(call.callId, call.fromTag), "BYE deleted the session");
            call.phoneMedia.send("after-bye", WAN, media.wanPort());
            assertNull(call.pbxMedia.receive(SILENCE), "the relay's WAN port no longer relays");
        }
    }

    @Test
    void cancelWhileRingingDeletesTheSession() throws IOException {
        try (BridgeCall call = new BridgeCall(scenario)) {
            Sdp offer = Sdp.parse(call.invite(call.phoneSdp(PHONE, "sendrecv")).body());
            // ringing with early media: the relay opens its WAN side for the 180's SDP (an
            // rtpproxy session relays only once both sides were signalled)
            call.pbxReplies(180, "Ringing", call.pbxSdp("sendrecv"));
            Sdp early = Sdp.parse(call.phoneGets(180, "INVITE").body());
            assertEquals(PUBLIC, early.connection(), early.text());
            call.pbxMedia.send("early", LAN, offer.port());
            RtpPeer.Packet atPhone = call.phoneMedia.receive(RTP_WAIT);
            assertTrue(atPhone != null && atPhone.payload().equals("early"), "early media relayed: " + atPhone);
            assertEquals(WAN, atPhone.source().getAddress().getHostAddress());
            assertEquals(early.port(), atPhone.source().getPort());

            call.cancel();
            assertEquals("E50", scenario.query(call.callId, call.fromTag), "CANCEL deleted the session");
            call.pbxMedia.send("after-cancel", LAN, offer.port());
            assertNull(call.phoneMedia.receive(SILENCE), "the relay's LAN port no longer relays");
        }
    }

    @Test
    void holdKeepsTheSessionAndMediaResumesAfterUnhold() throws IOException {
        try (BridgeCall call = new BridgeCall(scenario)) {
            Anchored media = establish(call);
            assertMediaFlows(call, media, "before-hold");

            // hold, RFC 2543 style: null connection address and sendonly
            Sdp held = Sdp.parse(call.invite(call.phoneSdp("0.0.0.0", "sendonly")).body());
            assertEquals("0.0.0.0", held.connection(), "hold stays hold:\n" + held.text());
            assertEquals(media.lanPort(), held.port(), "same session, same relay port:\n" + held.text());
            assertTrue(held.has("a=sendonly"), held.text());
            call.pbxReplies(200, "OK", call.pbxSdp("recvonly"));
            Sdp heldAnswer = Sdp.parse(call.phoneGets(200, "INVITE").body());
            assertEquals(PUBLIC, heldAnswer.connection(), heldAnswer.text());
            assertEquals(media.wanPort(), heldAnswer.port(), heldAnswer.text());
            call.ack();
            assertTrue(scenario.query(call.callId, call.fromTag).matches("\\d+ .*"), "on hold, the session is kept");

            Sdp resumed = Sdp.parse(call.invite(call.phoneSdp(PHONE, "sendrecv")).body());
            assertEquals(LAN, resumed.connection(), resumed.text());
            assertEquals(media.lanPort(), resumed.port(), resumed.text());
            call.pbxReplies(200, "OK", call.pbxSdp("sendrecv"));
            Sdp resumedAnswer = Sdp.parse(call.phoneGets(200, "INVITE").body());
            assertEquals(PUBLIC, resumedAnswer.connection(), resumedAnswer.text());
            assertEquals(media.wanPort(), resumedAnswer.port(), resumedAnswer.text());
            call.ack();
            assertMediaFlows(call, media, "after-unhold");

            call.bye();
        }
    }

    /** INVITE, 180, 200, ACK; checks the SDP each side got. */
    private Anchored establish(BridgeCall call) {
        Sdp offer = Sdp.parse(call.invite(call.phoneSdp(PHONE, "sendrecv")).body());
        assertEquals(LAN, offer.connection(), "the PBX is given the relay's LAN address:\n" + offer.text());
        assertEquals(LAN, offer.origin(), offer.text());
        assertTrue(scenario.inRange(offer.port()), "relay port in -m/-M:\n" + offer.text());
        assertTrue(offer.has("a=nortpproxy:yes"), offer.text());
        call.pbxReplies(180, "Ringing", null);
        call.phoneGets(180, "INVITE");
        call.pbxReplies(200, "OK", call.pbxSdp("sendrecv"));
        SipWire ok = call.phoneGets(200, "INVITE");
        Sdp answer = Sdp.parse(ok.body());
        assertEquals(PUBLIC, answer.connection(), "the phone is given the advertised WAN address:\n" + answer.text());
        assertTrue(scenario.inRange(answer.port()), answer.text());
        assertNotEquals(offer.port(), answer.port(), "one relay port per side");
        call.ack();
        return new Anchored(offer.port(), answer.port());
    }

    /**
     * RTP both ways through the relay: the phone sends to the address its SDP named (through the
     * NAT that publishes the WAN side), the PBX to the LAN address; each receives from the
     * relay's address and port on its own side.
     */
    private static void assertMediaFlows(BridgeCall call, Anchored media, String label) {
        call.phoneMedia.send(label + "-up", BridgeScenario.reachable(PUBLIC), media.wanPort());
        RtpPeer.Packet atPbx = call.pbxMedia.receive(RTP_WAIT);
        assertTrue(atPbx != null && atPbx.payload().equals(label + "-up"), "phone to PBX relayed: " + atPbx);
        assertEquals(LAN, atPbx.source().getAddress().getHostAddress(), "PBX gets media from the LAN address");
        assertEquals(media.lanPort(), atPbx.source().getPort());

        call.pbxMedia.send(label + "-down", LAN, media.lanPort());
        RtpPeer.Packet atPhone = call.phoneMedia.receive(RTP_WAIT);
        assertTrue(atPhone != null && atPhone.payload().equals(label + "-down"), "PBX to phone relayed: " + atPhone);
        assertEquals(WAN, atPhone.source().getAddress().getHostAddress(), "the phone gets media from the WAN address");
        assertEquals(media.wanPort(), atPhone.source().getPort());
    }
}
