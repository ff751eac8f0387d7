// Version @VERSION@ of a relay: every forwarded INVITE and every OPTIONS reply carries X-Version.
var TAG = "@VERSION@/@SUFFIX@";

function ksr_request_route() {
    if (KSR.is_OPTIONS()) {
        KSR.hdr.append_to_reply("X-Version: " + TAG + "\r\n");
        KSR.sl.sl_send_reply(200, "OK");
        return;
    }
    if (KSR.is_CANCEL()) {
        if (KSR.tm.t_check_trans() > 0) KSR.tm.t_relay();
        return;
    }
    if (KSR.siputils.has_totag() > 0) {
        if (KSR.rr.loose_route() > 0) KSR.tm.t_relay();
        else if (KSR.is_ACK() && KSR.tm.t_check_trans() > 0) KSR.tm.t_relay();
        return;
    }
    KSR.rr.record_route();
    KSR.hdr.append("X-Version: " + TAG + "\r\n");
    KSR.pv.sets("$du", "sip:127.0.0.1:@UAS@");
    if (KSR.tm.t_relay() < 0) KSR.sl.sl_reply_error();
}
