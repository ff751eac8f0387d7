package dev.kemi.runtime.transport;

import java.net.InetSocketAddress;

/**
 * Where and how to send one message.
 *
 * @param proto        transport
 * @param address      peer address
 * @param socket       local socket to send from; null = the sender chooses one of that protocol
 * @param noConnect    TCP: send only over an existing connection (set_*_no_connect)
 * @param close        TCP: close the connection after sending (set_*_close)
 * @param connectionId TCP: the connection to use while it is open (a Via's ;i=); 0 = by address
 */
public record Destination(Protocol proto, InetSocketAddress address, ListenSocket socket, boolean noConnect, boolean close,
                          int connectionId) {
    public Destination(Protocol proto, InetSocketAddress address, ListenSocket socket, boolean noConnect, boolean close) {
        this(proto, address, socket, noConnect, close, 0);
    }

    public static Destination of(Protocol proto, InetSocketAddress address) {
        return new Destination(proto, address, null, false, false);
    }

    /** The same destination over that TCP connection while it is open. */
    public Destination overConnection(int id) {
        return new Destination(proto, address, socket, noConnect, close, id);
    }
}
