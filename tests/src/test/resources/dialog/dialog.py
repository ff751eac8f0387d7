# The routing of dialog.cfg in Python KEMI (runs unchanged on Kamailio's app_python3).
import KSR as KSR


def mod_init():
    return Dialog()


class Dialog:
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
        # native t_check_trans() ends the script on a retransmission (0); in KEMI the script must return itself
        if KSR.tm.t_check_trans() == 0:
            return 1
        user = KSR.pv.get("$rU")
        if user == "timeout":
            KSR.pv.seti("$dlg_ctx(timeout_bye)", 1)
        KSR.dialog.dlg_manage()
        if user == "limit":
            KSR.dialog.get_profile_size("caller", KSR.pv.get("$fU"), "$var(n)")
            if KSR.pv.get("$var(n)") >= 2:
                KSR.sl.sl_send_reply(503, "Call limit reached")
                return 1
            KSR.dialog.set_dlg_profile("caller", KSR.pv.get("$fU"))
            KSR.dialog.set_dlg_profile_static("inbound")
            KSR.dialog.var_sets("who", KSR.pv.get("$fU"))
        elif user == "timeout":
            KSR.dialog.dlg_set_timeout(2)
        KSR.rr.record_route()
        KSR.pv.sets("$du", "sip:{uas}:5060")
        KSR.tm.t_relay()
        return 1
