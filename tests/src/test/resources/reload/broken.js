// a syntax error on line 4
function ksr_request_route() {
    KSR.info("broken\n");
    if (KSR.is_OPTIONS() {
        KSR.sl.sl_send_reply(200, "OK");
    }
}
