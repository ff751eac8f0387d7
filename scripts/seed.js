// The seed's Python KEMI skeleton (kamailio-playground.md) in JavaScript KEMI: it only logs.
// ES5, so it also runs on Kamailio 5.6 (app_jsdt); top-level code runs once per worker.

function ksr_info(message) {
	KSR.info("====== " + message + " \n");
}

function ksr_request_route() {
	ksr_info("Kamailio.ksr_request_route");
}
