package dev.kemi.runtime.modules.dialog;

/** dialog's modparams, with Kamailio 5.6.3's defaults. */
final class DlgConfig {
    static final int MATCH_STRICT_ID = 0, MATCH_FALLBACK = 1, MATCH_NO_ID = 2;

    boolean enableStats = true;
    int hashSize = 4096;
    String rrParam = "did";
    int dlgFlag = -1;
    String timeoutAvp;
    int defaultTimeout = 60 * 60 * 12;
    String extraHdrs;
    int matchMode = MATCH_STRICT_ID;
    boolean detectSpirals = true;
    String profilesWithValue, profilesNoValue;
    boolean initialCbsInscript = true;
    boolean sendBye;
    boolean waitAck = true;
    boolean timeoutNoreset;
    String eventCallback;
    int hIdStart, hIdStep = 1;
    int keepProxyRr;
    /** How long a deleted dialog stays listed (Kamailio frees it with the ending transaction, after wt_timer). */
    int lingerMs = 5000;
}
