package dev.kemi.runtime.core;

import dev.kemi.runtime.transport.ListenSocket;
import java.net.InetSocketAddress;

/**
 * Where a message came from.
 *
 * @param source peer address ($si, $sp)
 * @param socket local socket it arrived on ($Ri, $Rp, $pr)
 */
public record ReceiveInfo(InetSocketAddress source, ListenSocket socket) {
    public String sourceIp() {
        return source.getAddress().getHostAddress();
    }
}
