package dev.kemi.runtime.transport;


/** Where the transport hands each received message; called on an event-loop thread, must not block. */
@FunctionalInterface
public interface InboundSink {
    /** @param data one whole SIP message (the array is the receiver's to keep) */
    void onMessage(byte[] data, ReceiveInfo from);
}
