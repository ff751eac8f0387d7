// The routing of dispatcher.cfg in JavaScript KEMI (ES5: runs unchanged on Kamailio 5.6, app_jsdt).
var SERVICES = {"rr": [1, 4], "hash": [1, 0], "fo": [2, 8]};

function ksr_request_route() {
	if (KSR.siputils.has_totag() > 0) {
		KSR.tm.t_relay();
		return;
	}
	// a retransmission must not take another round-robin turn
	if (!KSR.is_ACK()) {
		if (KSR.tmx.t_precheck_trans() > 0) {
			KSR.tm.t_check_trans();
			return;
		}
		if (KSR.tm.t_check_trans() == 0) {
			return;
		}
	}
	var service = SERVICES[KSR.pv.get("$rU")];
	if (!service) {
		KSR.sl.sl_send_reply(404, "Unknown service");
		return;
	}
	if (KSR.dispatcher.ds_select_dst(service[0], service[1]) < 0) {
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
	if (KSR.tm.t_check_status("503") > 0 || (KSR.tm.t_branch_timeout() > 0 && KSR.tm.t_branch_replied() < 0)) {
		if (KSR.dispatcher.ds_next_dst() > 0) {
			KSR.tm.t_on_failure("ksr_failure_failover");
			KSR.tm.t_relay();
		}
	}
}

// event_route[dispatcher:dst-down/up]: reported to the test's listener
function ksr_dispatcher_event(evname) {
	KSR.corex.send_data("sip:127.0.66.50:5099",
		evname.split(":")[1] + " " + KSR.pv.get("$ru") + " " + KSR.pv.get("$dsv(code)"));
}
