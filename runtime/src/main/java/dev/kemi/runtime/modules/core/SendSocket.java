package dev.kemi.runtime.modules.core;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.transport.ListenSocket;

/**
 * The socket a request must leave from (Kamailio's force_send_socket): set by rr for double
 * Record-Route dialogs and by corex.set_send_socket; read by the forwarder and tm.
 */
public final class SendSocket {
    private ListenSocket socket;

    private SendSocket() {}

    public static void set(MessageContext ctx, ListenSocket socket) {
        ctx.attachment(SendSocket.class, SendSocket::new).socket = socket;
    }

    /** The forced socket, or null. */
    public static ListenSocket get(MessageContext ctx) {
        SendSocket s = ctx.attachment(SendSocket.class);
        return s == null ? null : s.socket;
    }
}
