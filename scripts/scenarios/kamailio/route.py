# KEMI port of native.cfg. Pitfalls kept on purpose: line 31 ignores a 0 from t_check_trans()
# (native exits there), and is_myself_ruri() matches any port where `uri==myself` assumes 5060.
import KSR as KSR


def mod_init():
    return kamailio()


class kamailio:
    def __init__(self):
        pass

    def child_init(self, rank):
        return 0

    def ksr_request_route(self, msg):
        if KSR.maxfwd.process_maxfwd(10) < 0:
            KSR.sl.sl_send_reply(483, "Too Many Hops")
            return 1
        if KSR.sanity.sanity_check(1511, 7) < 0:
            return 1
        if KSR.is_CANCEL():
            if KSR.tm.t_check_trans() > 0:
                KSR.tm.t_relay()
            return 1
        if not KSR.is_ACK():
            if KSR.tmx.t_precheck_trans() > 0:
                KSR.tm.t_check_trans()
                return 1
            KSR.tm.t_check_trans()
        if KSR.siputils.has_totag() > 0:
            if KSR.rr.loose_route() > 0:
                KSR.tm.t_relay()
                return 1
            if KSR.is_ACK():
                if KSR.tm.t_check_trans() > 0:
                    KSR.tm.t_relay()
                return 1
            KSR.sl.sl_send_reply(404, "Not here")
            return 1
        if KSR.is_OPTIONS() and KSR.is_myself_ruri() and KSR.pv.is_null("$rU"):
            KSR.sl.sl_send_reply(200, "Keepalive")
            return 1
        KSR.hdr.remove("Route")
        if KSR.is_INVITE():
            KSR.rr.record_route()
            KSR.tm.t_on_failure("ksr_failure")
        if KSR.tm.t_relay() < 0:
            KSR.sl.sl_reply_error()
        return 1

    def ksr_reply_route(self, msg):
        return 1

    def ksr_failure(self, msg):
        if KSR.tm.t_is_canceled() > 0:
            return 1
        if KSR.tm.t_check_status("486|408") > 0 and KSR.hdr.is_present("X-Failover-To") > 0:
            KSR.pv.sets("$ru", KSR.pv.get("$hdr(X-Failover-To)"))
            KSR.tm.t_relay()
        return 1
