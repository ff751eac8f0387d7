package dev.kemi.runtime.modules.rtpproxy;

/** What the rtpproxy functions read from (and change in) the SIP message being processed. */
interface Signalling {
    boolean isRequest();

    /** Request method, or the CSeq method for replies. */
    String method();

    int status();

    String callId();

    /** Null or empty when absent. */
    String fromTag();

    /** Null or empty when absent. */
    String toTag();

    /** Branch of the {@code n}-th Via (1 or 2), or null. */
    String viaBranch(int n);

    long cseqNumber();

    /** $si. */
    String sourceIp();

    boolean sourceIsIpv6();

    /** $Ri: the local address the message arrived on. */
    String localIp();

    /** Body as text (ISO-8859-1, byte for byte), or null. */
    String body();

    String contentType();

    void replaceBody(String body);

    /** Value of modparam extra_id_pv for this message, or null when not configured. */
    String extraId();

    /** Current {@link dev.kemi.api.RouteType}. */
    int routeType();
}
