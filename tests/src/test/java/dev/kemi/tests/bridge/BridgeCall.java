package dev.kemi.tests.bridge;

import static dev.kemi.tests.bridge.BridgeScenario.PHONE;

import dev.kemi.tests.SipRequests;
import dev.kemi.tests.SipWire;
import dev.kemi.tests.bridge.SipPeer.Received;
import java.util.UUID;

/**
 * One call from a WAN-side phone to the PBX through the scenario, both user agents played by
 * the test: the phone sends every request to the proxy's WAN address (its outbound proxy, as
 * the seed's proxy does not record-route) and the PBX answers what the proxy relays to it.
 */
final class BridgeCall implements AutoCloseable {

    final SipPeer phone = new SipPeer(PHONE);
    final RtpPeer phoneMedia = new RtpPeer(PHONE);
    final RtpPeer pbxMedia = new RtpPeer(BridgeScenario.PBX);
    final String callId = SipRequests.callId();
    final String fromTag = tag();
    private final BridgeScenario scenario;
    private final String pbxTag = tag();
    private final String pbxUri;
    private int cseq = 1;
    private String inviteBranch;
    private String toTag;
    /** The INVITE the PBX received last, which its replies answer. */
    private Received pbxInvite;

    BridgeCall(BridgeScenario scenario) {
        this.scenario = scenario;
        this.pbxUri = "sip:pbx@" + BridgeScenario.PBX + ":" + scenario.pbx.port();
    }

    /** The phone's media offer (or answer), as the phone sends it. */
    String phoneSdp(String connection, String direction) {
        return Sdp.of(PHONE, connection, phoneMedia.port(), direction);
    }

    String pbxSdp(String direction) {
        return Sdp.of(BridgeScenario.PBX, BridgeScenario.PBX, pbxMedia.port(), direction);
    }

    /** The phone sends an (re-)INVITE; returns it as the PBX received it. */
    SipWire invite(String sdp) {
        inviteBranch = SipRequests.branch();
        phone.send(request("INVITE", inviteBranch, cseq, sdp), scenario.wanSip());
        pbxInvite = scenario.pbx.awaitRequest(callId, "INVITE");
        return pbxInvite.msg();
    }

    /** The PBX answers the last INVITE it received. */
    void pbxReplies(int status, String reason, String sdp) {
        scenario.pbx.send(response(pbxInvite.msg(), status, reason, sdp), pbxInvite.source());
    }

    /** The response as the phone received it. */
    SipWire phoneGets(int status, String method) {
        SipWire r = phone.awaitResponse(callId, status, method).msg();
        String to = SipWire.param(r.header("to"), "tag");
        if (to != null && status >= 200 && status < 300 && method.equals("INVITE")) {
            toTag = to;
        }
        return r;
    }

    /** ACK for the 2xx of the last INVITE, checked at the PBX. */
    void ack() {
        phone.send(request("ACK", SipRequests.branch(), cseq, null), scenario.wanSip());
        scenario.pbx.awaitRequest(callId, "ACK");
        cseq++;
    }

    /** The phone hangs up; the PBX agrees. */
    void bye() {
        phone.send(request("BYE", SipRequests.branch(), cseq++, null), scenario.wanSip());
        Received bye = scenario.pbx.awaitRequest(callId, "BYE");
        scenario.pbx.send(response(bye.msg(), 200, "OK", null), bye.source());
        phoneGets(200, "BYE");
    }

    /** The phone cancels the ringing INVITE; the PBX answers 200 to the CANCEL and 487 to the INVITE. */
    void cancel() {
        phone.send(request("CANCEL", inviteBranch, cseq, null), scenario.wanSip());
        Received cancel = scenario.pbx.awaitRequest(callId, "CANCEL");
        scenario.pbx.send(response(cancel.msg(), 200, "OK", null), cancel.source());
        pbxReplies(487, "Request Terminated", null);
        phoneGets(200, "CANCEL");
        SipWire terminated = phoneGets(487, "INVITE");
        // the hop-by-hop ACK of the 487 (same branch as the INVITE)
        toTag = SipWire.param(terminated.header("to"), "tag");
        phone.send(request("ACK", inviteBranch, cseq, null), scenario.wanSip());
    }

    private String request(String method, String branch, int number, String sdp) {
        StringBuilder b = new StringBuilder()
                .append(method).append(' ').append(pbxUri).append(" SIP/2.0\r\n")
                .append("Via: SIP/2.0/UDP ").append(PHONE).append(':').append(phone.port())
                .append(";branch=").append(branch).append(";rport\r\n")
                .append("Max-Forwards: 70\r\n")
                .append("From: <sip:phone@").append(PHONE).append(">;tag=").append(fromTag).append("\r\n")
                .append("To: <sip:pbx@").append(BridgeScenario.PBX).append('>')
                .append(toTag == null ? "" : ";tag=" + toTag).append("\r\n")
                .append("Call-ID: ").append(callId).append("\r\n")
                .append("CSeq: ").append(number).append(' ').append(method).append("\r\n")
                .append("Contact: <sip:phone@").append(PHONE).append(':').append(phone.port()).append(">\r\n");
        return withBody(b, sdp);
    }

    private String response(SipWire request, int status, String reason, String sdp) {
        StringBuilder b = new StringBuilder("SIP/2.0 ").append(status).append(' ').append(reason).append("\r\n");
        for (String via : request.headers("via")) {
            b.append("Via: ").append(via).append("\r\n");
        }
        String to = request.header("to");
        b.append("From: ").append(request.header("from")).append("\r\n")
                .append("To: ").append(to).append(SipWire.param(to, "tag") == null ? ";tag=" + pbxTag : "").append("\r\n")
                .append("Call-ID: ").append(request.header("call-id")).append("\r\n")
                .append("CSeq: ").append(request.header("cseq")).append("\r\n")
                .append("Contact: <").append(pbxUri).append(">\r\n");
        return withBody(b, sdp);
    }

    private static String withBody(StringBuilder head, String sdp) {
        if (sdp == null) {
            return head.append("Content-Length: 0\r\n\r\n").toString();
        }
        return head.append("Content-Type: application/sdp\r\n")
                .append("Content-Length: ").append(sdp.length()).append("\r\n\r\n").append(sdp).toString();
    }

    private static String tag() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    @Override
    public void close() {
        phone.close();
        phoneMedia.close();
        pbxMedia.close();
    }
}
