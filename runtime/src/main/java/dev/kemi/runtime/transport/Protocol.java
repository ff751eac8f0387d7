package dev.kemi.runtime.transport;

import java.util.Locale;

/** SIP transports; the ones we listen on are UDP and TCP. */
public enum Protocol {
    UDP, TCP, TLS, SCTP, WS, WSS;

    /** "udp", "tcp" ... as in listen= and $pr. */
    public String lower() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The ;transport= value in a SIP URI: "ws" for WSS too (RFC 7118), as Kamailio's get_valid_proto_string for URIs. */
    public String uriName() {
        return this == WSS ? "ws" : lower();
    }

    public boolean reliable() {
        return this != UDP;
    }

    public static Protocol parse(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }
}
