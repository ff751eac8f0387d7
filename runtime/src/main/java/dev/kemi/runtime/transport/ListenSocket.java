package dev.kemi.runtime.transport;

import java.net.InetSocketAddress;

/**
 * One local socket from a listen= line.
 *
 * @param proto         transport
 * @param address       bound address and port
 * @param advertiseHost host to put in Via/Record-Route instead of the address; null if none
 * @param advertisePort port to advertise; 0 if none
 * @param name          listen name ("name" attribute), null if none
 */
public record ListenSocket(Protocol proto, InetSocketAddress address, String advertiseHost, int advertisePort, String name) {

    /** Host as it goes into Via and Record-Route (advertised if set; IPv6 in brackets). */
    public String viaHost() {
        if (advertiseHost != null) return advertiseHost;
        String h = address.getAddress().getHostAddress();
        return h.indexOf(':') >= 0 ? "[" + h + "]" : h;
    }

    public int viaPort() {
        return advertisePort > 0 ? advertisePort : address.getPort();
    }

    /**
     * "udp:127.0.0.1:5060" as Kamailio prints sockets. A WS (WSS) socket is the TCP (TLS)
     * listener the connection was upgraded on and prints as that one (usrloc's socket column).
     */
    @Override
    public String toString() {
        String p = proto == Protocol.WS ? "tcp" : proto == Protocol.WSS ? "tls" : proto.lower();
        return p + ":" + address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
