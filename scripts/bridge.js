// The seed's bridge-mode routing (bridge.cfg) in JavaScript KEMI (ES5); runs unchanged on
// Kamailio 5.6 (app_jsdt). Every request goes to the PBX; the media is anchored in the relay
// with the WAN side as rtpproxy's first interface ("i") and the LAN/PBX side as the second ("e").
var PBX = "127.0.0.4:5060";
var FLAGS = "iewc";

function ksr_request_route() {
    KSR.rtpproxy.rtpproxy_manage(FLAGS);
    // native t_relay("127.0.0.4", "5060")
    KSR.tm.t_relay_to_proxy(PBX);
}

// native onreply_route: every reply
function ksr_reply_route() {
    if (KSR.textops.has_body_type("application/sdp") > 0) {
        KSR.rtpproxy.rtpproxy_manage(FLAGS);
    }
}
