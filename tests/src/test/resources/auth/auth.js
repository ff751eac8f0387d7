// auth.cfg's routing in JavaScript KEMI, ES5 (runs on Kamailio's app_jsdt too).
function ksr_request_route() {
	var rc, flags = 0;
	if (KSR.hdr.is_present("X-Subscriber") > 0) {
		rc = KSR.auth_db.is_subscriber(KSR.hdr.get("X-Subscriber"), "subscriber", 3);
		KSR.hdr.append_to_reply("X-Rc: " + rc + "\r\n");
		KSR.sl.sl_send_reply(200, "Checked");
		return;
	}
	if (KSR.hdr.is_present("X-Qop") > 0) {
		flags = KSR.hdr.get("X-Qop") == "auth-int" ? 2 : 1;
	}
	rc = KSR.auth_db.auth_check(KSR.pv.get("$fd"), "subscriber", 1);
	if (rc < 0) {
		if (rc == -4) {
			flags += 16;
		}
		KSR.hdr.append_to_reply("X-Rc: " + rc + "\r\n");
		KSR.auth.auth_challenge(KSR.pv.get("$fd"), flags);
		return;
	}
	KSR.auth.consume_credentials();
	KSR.hdr.append_to_reply("X-Auth: " + KSR.pv.get("$au") + " " + KSR.pv.get("$ar") + " " + KSR.pv.get("$adu")
		+ " " + KSR.pv.get("$avp(uid)") + " " + KSR.pv.get("$aU") + "\r\n");
	KSR.sl.sl_send_reply(200, "OK");
}
