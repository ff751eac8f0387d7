package dev.kemi.runtime.modules.uac;

/**
 * One row of the uacreg table and its registration state (Kamailio's reg_uac_t). Fields after
 * the row's are guarded by the record's monitor: the timer, the replies and the RPC touch them.
 */
final class UacRegRecord {
    static final int DISABLED = 1, ONGOING = 2, ONLINE = 4, AUTHSENT = 8, INIT = 16;

    final String lUuid, lUsername, lDomain, rUsername, rDomain, realm, authUsername, authPassword, authHa1, authProxy,
            contactAddr, socket;
    final int hUuid, hUser;
    int expires;
    int flags;
    int regDelay;
    long timerExpires;
    long regInit;
    /** reg_keep_callid: the Call-ID and CSeq of the last successful registration (5.6.3's refresh gets a new From tag all the same). */
    String callId;
    int cseq;

    UacRegRecord(String lUuid, String lUsername, String lDomain, String rUsername, String rDomain, String realm,
                 String authUsername, String authPassword, String authHa1, String authProxy, int expires, int flags,
                 int regDelay, String contactAddr, String socket) {
        this.lUuid = lUuid;
        this.lUsername = lUsername;
        this.lDomain = lDomain;
        this.rUsername = rUsername;
        this.rDomain = rDomain;
        this.realm = realm;
        this.authUsername = authUsername;
        this.authPassword = authPassword;
        this.authHa1 = authHa1 == null ? null : authHa1.toLowerCase(java.util.Locale.ROOT);
        this.authProxy = authProxy;
        this.expires = expires;
        this.flags = flags;
        this.regDelay = regDelay;
        this.contactAddr = contactAddr;
        this.socket = socket;
        this.hUuid = DigestAnswer.hash1(lUuid);
        this.hUser = DigestAnswer.hash1(lUsername);
    }

    static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
