# Version @VERSION@ of a relay: every forwarded INVITE and every OPTIONS reply carries X-Version,
# made of this file's VERSION and the helper module's SUFFIX (so a reload shows both reloaded).
import KSR as KSR
import revision

VERSION = "@VERSION@"


def mod_init():
    return Relay(VERSION + "/" + revision.SUFFIX)


class Relay:
    def __init__(self, tag):
        self.tag = tag

    def child_init(self, rank):
        return 0

    def ksr_request_route(self, msg):
        if KSR.is_OPTIONS():
            KSR.hdr.append_to_reply("X-Version: " + self.tag + "\r\n")
            KSR.sl.sl_send_reply(200, "OK")
            return 1
        if KSR.is_CANCEL():
            if KSR.tm.t_check_trans() > 0:
                KSR.tm.t_relay()
            return 1
        if KSR.siputils.has_totag() > 0:
            if KSR.rr.loose_route() > 0:
                KSR.tm.t_relay()
            elif KSR.is_ACK() and KSR.tm.t_check_trans() > 0:
                KSR.tm.t_relay()
            return 1
        KSR.rr.record_route()
        KSR.hdr.append("X-Version: " + self.tag + "\r\n")
        KSR.pv.sets("$du", "sip:127.0.0.1:@UAS@")
        if KSR.tm.t_relay() < 0:
            KSR.sl.sl_reply_error()
        return 1
