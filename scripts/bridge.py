# The seed's bridge-mode routing (bridge.cfg) in Python KEMI; runs unchanged on Kamailio 5.6
# (app_python3). Every request goes to the PBX; the media is anchored in the relay with the
# WAN side as rtpproxy's first interface ("i") and the LAN/PBX side as the second ("e").
import KSR as KSR

PBX = "127.0.0.4:5060"
FLAGS = "iewc"


def mod_init():
    return BridgeProxy()


class BridgeProxy:
    def child_init(self, rank):
        return 0

    def ksr_request_route(self, msg):
        KSR.rtpproxy.rtpproxy_manage(FLAGS)
        # native t_relay("127.0.0.4", "5060")
        KSR.tm.t_relay_to_proxy(PBX)
        return 1

    # native onreply_route: every reply
    def ksr_reply_route(self, msg):
        if KSR.textops.has_body_type("application/sdp") > 0:
            KSR.rtpproxy.rtpproxy_manage(FLAGS)
        return 1

    # defined so Kamailio 5.6 does not log a missing callback
    def ksr_onsend_route(self, msg):
        return 1
