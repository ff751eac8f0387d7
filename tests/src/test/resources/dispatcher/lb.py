# lb.cfg's routing in Python KEMI (runs unchanged on Kamailio's app_python3).
import KSR as KSR


def mod_init():
    return Balancer()


class Balancer:
    def child_init(self, rank):
        return 0

    # app_python3 calls these for every relayed message and reply
    def ksr_reply_route(self, msg):
        return 1

    def ksr_onsend_route(self, msg):
        return 1

    def ksr_request_route(self, msg):
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
        if KSR.is_CANCEL():
            if KSR.tm.t_check_trans() > 0:
                KSR.tm.t_relay()
            return 1
        if not KSR.is_ACK():
            # a retransmitted INVITE takes no second turn nor a second profile entry
            if KSR.tmx.t_precheck_trans() > 0:
                KSR.tm.t_check_trans()
                return 1
            if KSR.tm.t_check_trans() == 0:
                return 1
        if not KSR.is_INVITE():
            KSR.sl.sl_send_reply(405, "Method Not Allowed")
            return 1
        caller = KSR.pv.get("$fU")
        KSR.dialog.get_profile_size("caller", caller, "$var(calls)")
        if KSR.pv.get("$var(calls)") >= 1:
            KSR.sl.sl_send_reply(486, "Call limit reached")
            return 1
        if KSR.dispatcher.ds_select_dst(1, 4) < 0:
            KSR.sl.sl_send_reply(503, "No destination")
            return 1
        KSR.pv.seti("$dlg_ctx(timeout_bye)", 1)
        KSR.dialog.dlg_manage()
        KSR.dialog.set_dlg_profile("caller", caller)
        KSR.dialog.dlg_set_timeout(2)
        KSR.rr.record_route()
        KSR.tm.t_on_failure("ksr_failure_next")
        if KSR.tm.t_relay() < 0:
            KSR.sl.sl_reply_error()
        return 1

    def ksr_failure_next(self, msg):
        if KSR.tm.t_is_canceled() > 0:
            return 1
        if KSR.tm.t_check_status("503") > 0 or (KSR.tm.t_branch_timeout() > 0 and KSR.tm.t_branch_replied() < 0):
            KSR.dispatcher.ds_mark_dst_state("ip")
            if KSR.dispatcher.ds_next_dst() > 0:
                KSR.tm.t_on_failure("ksr_failure_next")
                KSR.tm.t_relay()
        return 1
