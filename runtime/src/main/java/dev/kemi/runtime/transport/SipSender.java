package dev.kemi.runtime.transport;

/** Sends serialized SIP messages; callable from any thread. */
public interface SipSender {
    /**
     * Sends one message. Returns false when it cannot be sent at all now (no socket for the
     * protocol, no connection while noConnect). Failures found later (a TCP connect refused)
     * run {@code onLateFailure} on some thread; it may be null.
     */
    boolean send(Destination dst, byte[] message, Runnable onLateFailure);

    /**
     * force_tcp_alias: requests for the connection's source IP and this port go over that TCP/TLS
     * connection from now on (Kamailio's tcpconn_add_alias; port 0 means 5060, 5061 for TLS).
     * False when the connection is gone.
     */
    default boolean addTcpAlias(int connectionId, int port) {
        return false;
    }
}
