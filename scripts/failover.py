# Kemi Proxy failover logic in Python KEMI: the same as failover.cfg.
# Runs unchanged on Kamailio 5.6 (app_python3).
import KSR as KSR


def mod_init():
    return FailoverProxy()


class FailoverProxy:
    def child_init(self, rank):
        return 0

    def ksr_request_route(self, msg):
        if KSR.maxfwd.process_maxfwd(10) < 0:
            KSR.sl.sl_send_reply(483, "Too Many Hops")
            return 1
        if KSR.sanity.sanity_check(1511, 7) < 0:
            KSR.warn("malformed request from " + KSR.pv.get("$si") + ":"
                     + str(KSR.pv.get("$sp")) + "\n")
            return 1

        if KSR.is_CANCEL():
            if KSR.tm.t_check_trans() > 0:
                self.relay()
            return 1

        # retransmissions of requests being processed or already answered
        if not KSR.is_ACK():
            if KSR.tmx.t_precheck_trans() > 0:
                KSR.tm.t_check_trans()
                return 1
            if KSR.tm.t_check_trans() == 0:
                return 1

        if KSR.siputils.has_totag() > 0:
            self.within_dialog()
            return 1

        KSR.hdr.remove("Route")
        if KSR.is_method_in("IS"):
            KSR.rr.record_route()

        if KSR.is_myself_ruri():
            if KSR.is_OPTIONS():
                KSR.sl.sl_send_reply(200, "OK")
                return 1
            KSR.sl.sl_send_reply(404, "Not Found")
            return 1

        self.relay()
        return 1

    def within_dialog(self):
        if KSR.rr.loose_route() > 0:
            self.relay()
            return
        if KSR.is_ACK():
            if KSR.tm.t_check_trans() > 0:
                KSR.tm.t_relay()
            return
        KSR.sl.sl_send_reply(404, "Not here")

    def relay(self):
        if KSR.is_INVITE():
            KSR.tm.t_set_fr(2000, 2000)
            KSR.tm.t_on_failure("ksr_failure_failover")
            if KSR.hdr.is_present("X-No-Connect") > 0:
                KSR.set_forward_no_connect()
        if KSR.tm.t_relay() < 0:
            KSR.sl.sl_reply_error()

    def ksr_failure_failover(self, msg):
        if KSR.tm.t_is_canceled() > 0:
            return 1
        if KSR.tm.t_check_status("486|408") > 0 and KSR.hdr.is_present("X-Failover-To") > 0:
            KSR.pv.sets("$ru", KSR.pv.get("$hdr(X-Failover-To)"))
            KSR.tm.t_relay()
        return 1

    def ksr_reply_route(self, msg):
        return 1

    def ksr_onsend_route(self, msg):
        return 1
