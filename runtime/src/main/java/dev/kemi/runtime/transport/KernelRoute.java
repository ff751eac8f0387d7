package dev.kemi.runtime.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;

/**
 * The local address the kernel would send from to reach a peer, found as Kamailio's mhomed does:
 * connect a UDP socket to the peer (no packet is sent) and read its local address. One socket per
 * thread, disconnected after each lookup.
 */
public final class KernelRoute {
    private static final ThreadLocal<DatagramChannel> PROBE = new ThreadLocal<>();

    private KernelRoute() {}

    /** The source address for peer, or null if there is no route (or the probe fails). */
    public static InetAddress sourceFor(InetSocketAddress peer) {
        try {
            DatagramChannel ch = PROBE.get();
            if (ch == null || !ch.isOpen()) {
                ch = DatagramChannel.open();
                PROBE.set(ch);
            }
            try {
                ch.connect(peer);
                return ((InetSocketAddress) ch.getLocalAddress()).getAddress();
            } finally {
                ch.disconnect();
            }
        } catch (IOException | IllegalArgumentException e) {
            // no route the kernel will tell (unreachable, unresolved, other family): the caller falls back
            return null;
        }
    }
}
