// failover.cfg's routing in JavaScript KEMI (ES5: runs unchanged on Kamailio 5.6, app_jsdt).
function ksr_request_route() {
	if (KSR.siputils.has_totag() > 0) {
		KSR.tm.t_relay();
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
	if (KSR.dispatcher.ds_select_dst(1, 4) < 0) {
		KSR.sl.sl_send_reply(503, "No destination");
		return;
	}
	KSR.tm.t_on_failure("ksr_failure_failover");
	if (KSR.tm.t_relay() < 0) {
		KSR.sl.sl_reply_error();
	}
}

function ksr_failure_failover() {
	if (KSR.tm.t_is_canceled() > 0) {
		return;
	}
	var busy = KSR.tm.t_check_status("503") > 0;
	if (busy) {
		KSR.dispatcher.ds_mark_dst_state("ip");
	}
	if (busy || (KSR.tm.t_branch_timeout() > 0 && KSR.tm.t_branch_replied() < 0)) {
		if (KSR.dispatcher.ds_next_dst() > 0) {
			KSR.tm.t_on_failure("ksr_failure_failover");
			KSR.tm.t_relay();
		}
	}
}

function ksr_dispatcher_event(evname) {
	KSR.corex.send_data("sip:127.0.25.250:5099",
		evname.split(":")[1] + " " + KSR.pv.get("$ru") + " " + KSR.pv.get("$dsv(code)"));
}
