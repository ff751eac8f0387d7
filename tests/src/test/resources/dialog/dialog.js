// The routing of dialog.cfg in JavaScript KEMI (ES5: runs unchanged on Kamailio 5.6, app_jsdt).
function ksr_request_route() {
	if (KSR.siputils.has_totag() > 0) {
		if (KSR.rr.loose_route() > 0) {
			KSR.tm.t_relay();
			return;
		}
		if (KSR.is_ACK()) {
			if (KSR.tm.t_check_trans() > 0) KSR.tm.t_relay();
			return;
		}
		KSR.sl.sl_send_reply(404, "Not here");
		return;
	}
	if (KSR.is_CANCEL()) {
		if (KSR.tm.t_check_trans() > 0) KSR.tm.t_relay();
		return;
	}
	// native t_check_trans() ends the script on a retransmission (0); in KEMI the script must return itself
	if (KSR.tm.t_check_trans() == 0) return;
	var user = KSR.pv.get("$rU");
	if (user == "timeout") KSR.pv.seti("$dlg_ctx(timeout_bye)", 1);
	KSR.dialog.dlg_manage();
	if (user == "limit") {
		KSR.dialog.get_profile_size("caller", KSR.pv.get("$fU"), "$var(n)");
		if (KSR.pv.get("$var(n)") >= 2) {
			KSR.sl.sl_send_reply(503, "Call limit reached");
			return;
		}
		KSR.dialog.set_dlg_profile("caller", KSR.pv.get("$fU"));
		KSR.dialog.set_dlg_profile_static("inbound");
		KSR.dialog.var_sets("who", KSR.pv.get("$fU"));
	} else if (user == "timeout") {
		KSR.dialog.dlg_set_timeout(2);
	}
	KSR.rr.record_route();
	KSR.pv.sets("$du", "sip:{uas}:5060");
	KSR.tm.t_relay();
}
