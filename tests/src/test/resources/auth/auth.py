# auth.cfg's routing in Python KEMI (runs on Kamailio's app_python3 too).
import KSR as KSR


def mod_init():
    return Auth()


class Auth:
    def child_init(self, rank):
        return 0

    def ksr_request_route(self, msg):
        if KSR.hdr.is_present("X-Subscriber") > 0:
            rc = KSR.auth_db.is_subscriber(KSR.hdr.get("X-Subscriber"), "subscriber", 3)
            KSR.hdr.append_to_reply("X-Rc: %d\r\n" % rc)
            KSR.sl.sl_send_reply(200, "Checked")
            return 1
        flags = 0
        if KSR.hdr.is_present("X-Qop") > 0:
            flags = 2 if KSR.hdr.get("X-Qop") == "auth-int" else 1
        rc = KSR.auth_db.auth_check(KSR.pv.get("$fd"), "subscriber", 1)
        if rc < 0:
            if rc == -4:
                flags += 16
            KSR.hdr.append_to_reply("X-Rc: %d\r\n" % rc)
            KSR.auth.auth_challenge(KSR.pv.get("$fd"), flags)
            return 1
        KSR.auth.consume_credentials()
        KSR.hdr.append_to_reply("X-Auth: %s %s %s %s %s\r\n" % (KSR.pv.get("$au"), KSR.pv.get("$ar"),
                                KSR.pv.get("$adu"), KSR.pv.get("$avp(uid)"), KSR.pv.get("$aU")))
        KSR.sl.sl_send_reply(200, "OK")
        return 1
