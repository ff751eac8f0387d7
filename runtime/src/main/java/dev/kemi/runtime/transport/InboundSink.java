package dev.kemi.runtime.transport;


/** Where the transport hands each received message; called on an event-loop thread, must not block. */
@FunctionalInterface
public interface InboundSink {
    /** @param data one whole SIP message (the array is the receiver's to keep) */
    void onMessage(byte[] data, ReceiveInfo from);

    /**
     * A message read from a stream (TCP), which must not be lost. False asks the reader to stop
     * reading from that connection until {@code resume} runs (from any thread).
     */
    default boolean onStreamMessage(byte[] data, ReceiveInfo from, Runnable resume) {
        onMessage(data, from);
        return true;
    }
}
