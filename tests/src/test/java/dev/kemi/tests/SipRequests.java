package dev.kemi.tests;

import java.util.UUID;

/** Builds requests from a test client: its Via (with rport), fresh branch, tag and Call-ID. */
public final class SipRequests {
    private SipRequests() {}

    /** A new random Call-ID. */
    public static String callId() {
        return UUID.randomUUID() + "@test";
    }

    /** A new RFC 3261 branch. */
    public static String branch() {
        return "z9hG4bK-" + UUID.randomUUID().toString().substring(0, 13);
    }

    /** The client's Via value, with a new branch and rport. */
    public static String via(SipClient from) {
        return "SIP/2.0/" + from.transport() + " " + from.localHost() + ":" + from.localPort() + ";branch=" + branch() + ";rport";
    }

    /**
     * A request without body; extra header lines ("Name: value") go after the standard ones.
     */
    public static String request(String method, String requestUri, SipClient from, String callId, String... extraHeaders) {
        StringBuilder b = new StringBuilder();
        b.append(method).append(' ').append(requestUri).append(" SIP/2.0\r\n")
                .append("Via: ").append(via(from)).append("\r\n")
                .append("Max-Forwards: 70\r\n")
                .append("From: <sip:tester@").append(from.localHost()).append(">;tag=").append(UUID.randomUUID().toString(), 0, 8).append("\r\n")
                .append("To: <").append(requestUri).append(">\r\n")
                .append("Call-ID: ").append(callId).append("\r\n")
                .append("CSeq: 1 ").append(method).append("\r\n");
        for (String h : extraHeaders) b.append(h).append("\r\n");
        return b.append("Content-Length: 0\r\n\r\n").toString();
    }

    /** OPTIONS to the proxy itself. */
    public static String options(ProxyUnderTest proxy, SipClient from, String callId) {
        return request("OPTIONS", "sip:127.0.0.1:" + proxy.port(), from, callId);
    }
}
