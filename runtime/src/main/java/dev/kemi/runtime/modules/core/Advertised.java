package dev.kemi.runtime.modules.core;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.transport.ListenSocket;

/**
 * set_advertised_address / set_advertised_port for one message: the host and port our Via and
 * Record-Route show instead of the sending socket's.
 */
public final class Advertised {
    private String host;
    private int port;

    private Advertised() {}

    public static void setHost(MessageContext ctx, String host) {
        ctx.attachment(Advertised.class, Advertised::new).host = host;
    }

    public static void setPort(MessageContext ctx, int port) {
        ctx.attachment(Advertised.class, Advertised::new).port = port;
    }

    /** The socket as it should be advertised for this message (itself if nothing was set). */
    public static ListenSocket apply(MessageContext ctx, ListenSocket s) {
        Advertised a = ctx.attachment(Advertised.class);
        if (a == null || s == null) return s;
        return new ListenSocket(s.proto(), s.address(), a.host != null ? a.host : s.advertiseHost(),
                a.port > 0 ? a.port : s.advertisePort(), s.name());
    }
}
