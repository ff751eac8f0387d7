package dev.kemi.runtime.compare;

import dev.kemi.runtime.transport.Protocol;
import java.net.InetSocketAddress;
import java.util.function.BooleanSupplier;

/**
 * How a scenario's user agents reach a proxy: in-process over the virtual network and clock, or
 * over real sockets. Everything the driver reports back to the {@link Wire} happens on the
 * harness thread, inside {@link #runFor}.
 */
interface Driver extends AutoCloseable {
    /** What a driver reports to the scenario runner. */
    interface Wire {
        /** Records a message the proxy sent; true if it should now be handed to {@code ua}. */
        boolean proxySent(String ua, Protocol proto, InetSocketAddress dst, String socket, byte[] msg);

        /** Hands a message to a UA. */
        void deliver(String ua, byte[] msg);

        void note(String text);
    }

    /** Starts the proxy side and binds/assigns the UAs' addresses. */
    void start(Scenario scenario, Wire wire) throws Exception;

    /** A UA's effective address (port 0 resolved). */
    InetSocketAddress uaAddress(String ua);

    /** The proxy address a UA of this transport sends to. */
    InetSocketAddress proxyAddress(Protocol proto);

    /** Proxy socket that receives from a UA of this transport, as "udp:127.0.0.1:5060". */
    String proxySocket(Protocol proto);

    long nowMillis();

    /** Sends a UA's message to the proxy. */
    void send(String ua, Protocol proto, byte[] msg);

    /** Lets time pass up to {@code ms}, stopping early once {@code stop} holds; returns stop's value. */
    boolean runFor(long ms, BooleanSupplier stop);

    /** Runs a UA action after a delay, on the harness thread. */
    void schedule(long delayMs, Runnable task);

    /** True for the virtual mode, where times are exact and compared. */
    boolean virtual();

    @Override
    void close();
}
