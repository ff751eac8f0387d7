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

    /**
     * The socket as it should be advertised for this message: what the script set, else the
     * global advertised_address / advertised_port (which, as in Kamailio's set_hostport, win over
     * a listen's own "advertise"), else the socket itself.
     */
    public static ListenSocket apply(MessageContext ctx, ListenSocket s) {
        if (s == null) return null;
        Advertised a = ctx.attachment(Advertised.class);
        String host = a != null && a.host != null ? a.host : ctx.services().globalParam("advertised_address");
        int port = a != null && a.port > 0 ? a.port : globalPort(ctx);
        if (host == null && port <= 0) return s;
        return new ListenSocket(s.proto(), s.address(), host != null ? host : s.advertiseHost(),
                port > 0 ? port : s.advertisePort(), s.name());
    }

    /**
     * The outgoing side of a double Record-Route (Kamailio's SUBST_SND lumps): the socket's own
     * advertise first, then what the script set; the global advertised_* do not apply there, and
     * the receiving side's Record-Route is the receiving socket as it is.
     */
    public static ListenSocket sendSide(MessageContext ctx, ListenSocket s) {
        Advertised a = ctx.attachment(Advertised.class);
        if (a == null || s == null) return s;
        return new ListenSocket(s.proto(), s.address(), s.advertiseHost() != null ? s.advertiseHost() : a.host,
                s.advertisePort() > 0 ? s.advertisePort() : a.port, s.name());
    }

    private static int globalPort(MessageContext ctx) {
        String p = ctx.services().globalParam("advertised_port");
        if (p == null) return 0;
        try {
            return Integer.parseInt(p.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
