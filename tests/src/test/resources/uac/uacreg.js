// The uacreg.cfg request_route in KEMI JavaScript.
function ksr_request_route() {
    var ru = KSR.pv.get("$rU");
    if (ru == "status") {
        var r = KSR.uac.uac_reg_status(KSR.pv.get("$hdr(X-Uuid)"));
        KSR.pv.sets("$var(dst)", "none");
        KSR.uac.uac_reg_lookup(KSR.pv.get("$hdr(X-Uuid)"), "$var(dst)");
        KSR.pv.sets("$var(lu)", "none");
        KSR.uac.uac_reg_lookup_uri("sip:" + KSR.pv.get("$hdr(X-User)") + "@kemi.test", "$var(lu)");
        KSR.sl.sl_send_reply(200, "status " + r + " " + KSR.pv.get("$var(dst)") + " " + KSR.pv.get("$var(lu)"));
        return;
    }
    if (ru == "to") {
        if (KSR.uac.uac_reg_request_to(KSR.pv.get("$hdr(X-User)"), 1) > 0) {
            KSR.sl.sl_send_reply(200, "to " + KSR.pv.get("$ru") + " " + KSR.pv.get("$du") + " " + KSR.pv.get("$avp(arealm)")
                    + " " + KSR.pv.get("$avp(auser)") + " " + KSR.pv.get("$avp(apass)"));
        } else {
            KSR.sl.sl_send_reply(404, "to none");
        }
        return;
    }
    KSR.sl.sl_send_reply(404, "Not here");
}
