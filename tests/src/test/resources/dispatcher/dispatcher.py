# The routing of dispatcher.cfg in Python KEMI (runs unchanged on Kamailio 5.6, app_python3).
import KSR as KSR

SERVICES = {"rr": (1, 4), "hash": (1, 0), "fo": (2, 8)}


def mod_init():
    return DispatcherProxy()


class DispatcherProxy:
    def child_init(self, rank):
        return 0

    # Kamailio 5.6.3's app_python3 calls these for every reply and every message sent
    def ksr_reply_route(self, msg):
        return 1

    def ksr_onsend_route(self, msg):
        return 1

    def ksr_request_route(self, msg):
        if KSR.siputils.has_totag() > 0:
            KSR.tm.t_relay()
            return 1
        # a retransmission must not take another round-robin turn
        if not KSR.is_ACK():
            if KSR.tmx.t_precheck_trans() > 0:
                KSR.tm.t_check_trans()
                return 1
            if KSR.tm.t_check_trans() == 0:
                return 1
        service = SERVICES.get(KSR.pv.get("$rU"))
        if service is None:
            KSR.sl.sl_send_reply(404, "Unknown service")
            return 1
        if KSR.dispatcher.ds_select_dst(service[0], service[1]) < 0:
            KSR.sl.sl_send_reply(503, "No destination")
            return 1
        KSR.tm.t_on_failure("ksr_failure_failover")
        if KSR.tm.t_relay() < 0:
            KSR.sl.sl_reply_error()
        return 1

    def ksr_failure_failover(self, msg):
        if KSR.tm.t_is_canceled() > 0:
            return 1
        if KSR.tm.t_check_status("503") > 0 or (KSR.tm.t_branch_timeout() > 0 and KSR.tm.t_branch_replied() < 0):
            if KSR.dispatcher.ds_next_dst() > 0:
                KSR.tm.t_on_failure("ksr_failure_failover")
                KSR.tm.t_relay()
        return 1

    # event_route[dispatcher:dst-down/up]: reported to the test's listener
    def ksr_dispatcher_event(self, msg, evname):
        KSR.corex.send_data("sip:127.0.66.50:5099",
                            evname.split(":")[1] + " " + KSR.pv.get("$ru") + " " + str(KSR.pv.get("$dsv(code)")))
        return 1
