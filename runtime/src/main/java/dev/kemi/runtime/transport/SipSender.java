package dev.kemi.runtime.transport;

/** Sends serialized SIP messages; callable from any thread. */
public interface SipSender {
    /**
     * Sends one message. Returns false when it cannot be sent at all now (no socket for the
     * protocol, no connection while noConnect). Failures found later (a TCP connect refused)
     * run {@code onLateFailure} on some thread; it may be null.
     */
    boolean send(Destination dst, byte[] message, Runnable onLateFailure);
}
