package dev.kemi.tests;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A test peer talking to the proxy over one transport. */
public interface SipClient extends AutoCloseable {
    Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    /** "UDP" or "TCP", as in a Via. */
    String transport();

    String localHost();

    int localPort();

    /** Sends bytes as they are (UDP: one datagram; TCP: one write). */
    void sendBytes(byte[] data);

    default void send(String message) {
        sendBytes(message.getBytes(StandardCharsets.UTF_8));
    }

    /** The next whole message, or null if none arrives in time. */
    String receive(Duration timeout);

    /** The next message, parsed; fails the test if none arrives within 5 s. */
    default SipWire expect() {
        String m = receive(DEFAULT_TIMEOUT);
        if (m == null) throw new AssertionError(transport() + " client on port " + localPort() + ": no message within " + DEFAULT_TIMEOUT);
        return SipWire.parse(m);
    }

    /** Fails the test if a message arrives within the time (no sleeps: the wait is the assertion). */
    default void expectNothing(Duration within) {
        String m = receive(within);
        if (m != null) throw new AssertionError("expected no message, got:\n" + m);
    }

    @Override
    void close();
}
