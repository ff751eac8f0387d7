// lb.cfg's routing in JavaScript KEMI (ES5: runs unchanged on Kamailio 5.6, app_jsdt).
function ksr_request_route() {
	if (KSR.siputils.has_totag() > 0) {
		if (KSR.rr.loose_route() > 0) {
			KSR.tm.t_relay();
			return;
		}
		if (KSR.is_ACK()) {
			if (KSR.tm.t_check_trans() > 0) {
				KSR.tm.t_relay();
			}
			return;
		}
		KSR.sl.sl_send_reply(404, "Not here");
		return;
	}
	if (KSR.is_CANCEL()) {
		if (KSR.tm.t_check_trans() > 0) {
			KSR.tm.t_relay();
		}
		return;
	}
	if (!KSR.is_ACK()) {
		if (KSR.tmx.t_precheck_trans() > 0) {
			KSR.tm.t_check_trans();
			return;
		}
		if (KSR.tm.t_check_trans() == 0) {
			return;
		}
	}
	if (!KSR.is_INVITE()) {
		KSR.sl.sl_send_reply(405, "Method Not Allowed");
		return;
	}
	var caller = KSR.pv.get("$fU");
	KSR.dialog.get_profile_size("caller", caller, "$var(calls)");
	if (KSR.pv.get("$var(calls)") >= 1) {
		KSR.sl.sl_send_reply(486, "Call limit reached");
		return;
	}
	if (KSR.dispatcher.ds_select_dst(1, 4) < 0) {
		KSR.sl.sl_send_reply(503, "No destination");
		return;
	}
	KSR.pv.seti("$dlg_ctx(timeout_bye)", 1);
	KSR.dialog.dlg_manage();
	KSR.dialog.set_dlg_profile("caller", caller);
	KSR.dialog.dlg_set_timeout(2);
	KSR.rr.record_route();
	KSR.tm.t_on_failure("ksr_failure_next");
	if (KSR.tm.t_relay() < 0) {
		KSR.sl.sl_reply_error();
	}
}

function ksr_failure_next() {
	if (KSR.tm.t_is_canceled() > 0) {
		return;
	}
	if (KSR.tm.t_check_status("503") > 0 || (KSR.tm.t_branch_timeout() > 0 && KSR.tm.t_branch_replied() < 0)) {
		KSR.dispatcher.ds_mark_dst_state("ip");
		if (KSR.dispatcher.ds_next_dst() > 0) {
			KSR.tm.t_on_failure("ksr_failure_next");
			KSR.tm.t_relay();
		}
	}
}
