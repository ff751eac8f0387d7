package dev.kemi.runtime.transport;

import java.net.InetSocketAddress;

/**
 * Where and how to send one message.
 *
 * @param proto     transport
 * @param address   peer address
 * @param socket    local socket to send from; null = the sender chooses one of that protocol
 * @param noConnect TCP: send only over an existing connection (set_*_no_connect)
 * @param close     TCP: close the connection after sending (set_*_close)
 */
public record Destination(Protocol proto, InetSocketAddress address, ListenSocket socket, boolean noConnect, boolean close) {
    public static Destination of(Protocol proto, InetSocketAddress address) {
        return new Destination(proto, address, null, false, false);
    }
}
