package dev.kemi.runtime.modules.registrar;

import dev.kemi.runtime.modules.usrloc.UContact;

/** The registrar's modparams, with Kamailio 5.6.3's defaults. */
final class RegConfig {
    int defaultExpires = 3600;
    int defaultExpiresRange;
    int expiresRange;
    int minExpires = 60;
    int maxExpires;
    int maxContacts;
    int retryAfter;
    boolean caseSensitive;
    int defaultQ = UContact.Q_UNSPECIFIED;
    boolean appendBranches = true;
    boolean useExpiredContacts;
    String realmPrefix = "";
    String receivedParam = "received";
    /** AVP name of received_avp, or null. */
    String receivedAvp;
    boolean methodFiltering;
    boolean usePath;
    int pathMode = 2;
    boolean pathUseReceived;
    boolean pathCheckLocal;
    boolean gruuEnabled = true;
    int contactMaxSize = 512;
    boolean minExpiresMode;
}
