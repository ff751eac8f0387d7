package dev.kemi.runtime.modules.registrar;

/** Kamailio's rerrno values: the reply code, reason phrase and P-Registrar-Error text of each. */
enum RegError {
    FINE(200, "No problem"),
    UL_DEL_R(500, "usrloc_record_delete failed"),
    UL_GET_R(500, "usrloc_record_get failed"),
    UL_NEW_R(500, "usrloc_record_new failed"),
    INV_CSEQ(400, "Invalid CSeq number"),
    UL_INS_C(500, "usrloc_contact_insert failed"),
    UL_INS_R(500, "usrloc_record_insert failed"),
    UL_DEL_C(500, "usrloc_contact_delete failed"),
    UL_UPD_C(500, "usrloc_contact_update failed"),
    TO_USER(400, "No username in To URI"),
    AOR_LEN(500, "Address Of Record too long"),
    AOR_PARSE(400, "Error while parsing AOR"),
    INV_EXP(400, "Invalid expires param in contact"),
    INV_Q(400, "Invalid q param in contact"),
    PARSE(400, "Message parse error"),
    TO_MISS(400, "To header not found"),
    CID_MISS(400, "Call-ID header not found"),
    CS_MISS(400, "CSeq header not found"),
    PARSE_EXP(400, "Expires parse error"),
    PARSE_CONT(400, "Contact parse error"),
    STAR_EXP(400, "* used in contact and expires is not zero"),
    STAR_CONT(400, "* used in contact and more than 1 contact"),
    OOO(200, "Out of order request"),
    RETRANS(200, "Retransmission"),
    UNESCAPE(400, "Error while unescaping username"),
    TOO_MANY(503, "Too many registered contacts"),
    CONTACT_LEN(400, "Contact/received too long"),
    CALLID_LEN(400, "Callid too long"),
    PARSE_PATH(400, "Path parse error"),
    PATH_UNSUP(420, "No support for found Path indicated"),
    OB_UNSUP(421, "No support for Outbound indicated"),
    OB_REQD(420, "No support for Outbound on server"),
    OB_UNSUP_EDGE(439, "No support for Outbound on edge proxy"),
    INV_REGID(400, "Invalid Reg-Id number"),
    LOW_EXP(423, "Interval too brief");

    final int code;
    final String info;

    RegError(int code, String info) {
        this.code = code;
        this.info = info;
    }

    String reason() {
        return switch (code) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 420 -> "Bad Extension";
            case 421 -> "Extension Required";
            case 423 -> "Interval Too Brief";
            case 439 -> "First Hop Lacks Outbound Support";
            case 500 -> "Server Internal Error";
            case 503 -> "Service Unavailable";
            default -> "OK";
        };
    }

    /** save() failed with this error. */
    static final class Failure extends Exception {
        final RegError error;

        Failure(RegError error) {
            super(error.info, null, false, false);
            this.error = error;
        }
    }
}
