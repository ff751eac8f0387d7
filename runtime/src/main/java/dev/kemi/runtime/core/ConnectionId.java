package dev.kemi.runtime.core;

import dev.kemi.runtime.transport.Protocol;
import dev.kemi.runtime.transport.ReceiveInfo;
import dev.kemi.runtime.sip.Via;

/**
 * Kamailio's Via ";i=" parameter: the id of the TCP connection a relayed request came over, in
 * Kamailio's reversed hex (least significant digit first), so a stateless reply finds that
 * connection again even when the sender's Via names another port.
 */
public final class ConnectionId {
    private ConnectionId() {}

    /**
     * The ;i= value for a request, or null when it did not come over a TCP or TLS connection:
     * as 5.6.3's build_req_buf_from_sip_req, not for WS/WSS (replies find those by address).
     */
    public static String of(MessageContext ctx) {
        ReceiveInfo r = ctx.received();
        if (r == null || r.connectionId() <= 0 || r.socket() == null) return null;
        Protocol p = r.socket().proto();
        return p == Protocol.TCP || p == Protocol.TLS ? reverseHex(r.connectionId()) : null;
    }

    /** The connection id in a Via's ;i=, or 0 if none or unreadable. */
    public static int in(Via via) {
        String v = via.params().get("i");
        if (v == null || v.isEmpty() || v.length() > 8) return 0;
        int id = 0;
        for (int i = v.length() - 1; i >= 0; i--) {
            int d = Character.digit(v.charAt(i), 16);
            if (d < 0) return 0;
            id = id << 4 | d;
        }
        return id;
    }

    static String reverseHex(int id) {
        StringBuilder b = new StringBuilder(8);
        int v = id;
        do {
            b.append(Character.forDigit(v & 0xf, 16));
            v >>>= 4;
        } while (v != 0);
        return b.toString();
    }
}
