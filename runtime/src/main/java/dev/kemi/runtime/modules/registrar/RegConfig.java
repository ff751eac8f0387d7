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
    /** RFC 5626: 0 not supported, 1 supported, 2 required. */
    int outboundMode;
    /** 0: reg-id only counts with outbound through an edge proxy that supports it; 1: always. */
    int regidMode;
    /** Flow-Timer value for outbound registrations (0: no header). */
    int flowTimer;
}
