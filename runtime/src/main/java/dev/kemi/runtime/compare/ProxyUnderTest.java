package dev.kemi.runtime.compare;

import dev.kemi.api.FunctionTable;
import dev.kemi.runtime.transport.ListenSocket;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * A proxy instance the harness drives in-process. Everything it does in {@link #receive} (routing,
 * sending through the {@code SipSender} it was started with, scheduling on the timer service it
 * was given) must happen inline on the calling thread, so a run is deterministic.
 */
public interface ProxyUnderTest extends AutoCloseable {
    /** Its local sockets (listen=), in order; a UA sends to the first one of its transport. */
    List<ListenSocket> sockets();

    /** Processes one message received from {@code from} on the local socket {@code at}. */
    void receive(byte[] message, InetSocketAddress from, ListenSocket at);

    /** The function table of the loaded config, for linting KEMI scripts in explanations; null if unknown. */
    default FunctionTable functions() {
        return null;
    }

    @Override
    default void close() {}
}
