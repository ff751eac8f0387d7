package dev.kemi.runtime.modules.uac;

/**
 * The $uac_req(...) fields (Kamailio's uac_send_info_t): what uac_req_send() sends, and during
 * event_route[uac:reply] the request it sent with evcode/evtype. One per worker, as Kamailio
 * has one per process.
 */
final class UacReq implements Cloneable {
    int flags;
    String method, ruri, turi, furi, hdrs, body, ouri, callid, sock, auser, apasswd, evparam;
    int evroute, evcode, evtype;

    /** Kamailio's size limits, per field (value length must stay below them). */
    static int limit(String key) {
        return switch (key) {
            case "method" -> 32;
            case "hdrs" -> 2048;
            case "body" -> 32768;
            case "auser", "callid" -> 128;
            case "apasswd" -> 64;
            case "evparam" -> 128;
            default -> 1024;
        };
    }

    /** $uac_req(all) = $null: resets everything but the auth user/password and the socket, as 5.6.3. */
    void reset() {
        flags = 0;
        ruri = furi = turi = ouri = hdrs = body = method = callid = evparam = null;
        evroute = evtype = evcode = 0;
    }

    UacReq copy() {
        try {
            return (UacReq) clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }
}
