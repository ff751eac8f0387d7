package dev.kemi.runtime.transport;

import java.net.InetSocketAddress;

/**
 * Where a message came from.
 *
 * @param source       peer address ($si, $sp)
 * @param socket       local socket it arrived on ($Ri, $Rp, $pr)
 * @param connectionId the TCP connection it came over (Kamailio's tcp id, sent in our Via's
 *                     ;i= so stateless replies find the connection again); 0 for UDP
 */
public record ReceiveInfo(InetSocketAddress source, ListenSocket socket, int connectionId) {
    public ReceiveInfo(InetSocketAddress source, ListenSocket socket) {
        this(source, socket, 0);
    }

    public String sourceIp() {
        return source.getAddress().getHostAddress();
    }
}
