// Kemi Proxy failover logic in JavaScript KEMI: the same as failover.cfg.
// ES5 only, so it also runs unchanged on Kamailio 5.6 (app_jsdt, Duktape).

function ksr_request_route() {
	if (KSR.maxfwd.process_maxfwd(10) < 0) {
		KSR.sl.sl_send_reply(483, "Too Many Hops");
		return;
	}
	if (KSR.sanity.sanity_check(1511, 7) < 0) {
		KSR.warn("malformed request from " + KSR.pv.get("$si") + ":" + KSR.pv.get("$sp") + "\n");
		return;
	}

	if (KSR.is_CANCEL()) {
		if (KSR.tm.t_check_trans() > 0) {
			ksr_route_relay();
		}
		return;
	}

	// retransmissions of requests being processed or already answered
	if (!KSR.is_ACK()) {
		if (KSR.tmx.t_precheck_trans() > 0) {
			KSR.tm.t_check_trans();
			return;
		}
		if (KSR.tm.t_check_trans() == 0) {
			return;
		}
	}

	if (KSR.siputils.has_totag() > 0) {
		ksr_route_withindlg();
		return;
	}

	KSR.hdr.remove("Route");
	if (KSR.is_method_in("IS")) {
		KSR.rr.record_route();
	}

	if (KSR.is_myself_ruri()) {
		if (KSR.is_OPTIONS()) {
			KSR.sl.sl_send_reply(200, "OK");
			return;
		}
		KSR.sl.sl_send_reply(404, "Not Found");
		return;
	}

	ksr_route_relay();
}

function ksr_route_withindlg() {
	if (KSR.rr.loose_route() > 0) {
		ksr_route_relay();
		return;
	}
	if (KSR.is_ACK()) {
		if (KSR.tm.t_check_trans() > 0) {
			KSR.tm.t_relay();
		}
		return;
	}
	KSR.sl.sl_send_reply(404, "Not here");
}

function ksr_route_relay() {
	if (KSR.is_INVITE()) {
		KSR.tm.t_set_fr(2000, 2000);
		KSR.tm.t_on_failure("ksr_failure_failover");
		if (KSR.hdr.is_present("X-No-Connect") > 0) {
			KSR.set_forward_no_connect();
		}
	}
	if (KSR.tm.t_relay() < 0) {
		KSR.sl.sl_reply_error();
	}
}

function ksr_failure_failover() {
	if (KSR.tm.t_is_canceled() > 0) {
		return;
	}
	if (KSR.tm.t_check_status("486|408") > 0 && KSR.hdr.is_present("X-Failover-To") > 0) {
		KSR.pv.sets("$ru", KSR.pv.get("$hdr(X-Failover-To)"));
		KSR.tm.t_relay();
	}
}
