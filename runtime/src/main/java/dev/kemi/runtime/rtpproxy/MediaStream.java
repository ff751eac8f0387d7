package dev.kemi.runtime.rtpproxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * One side of a relayed media session: the RTP/RTCP socket pair facing one party and that
 * party's addresses. Ports, local address and flags belong to the control thread.
 */
final class MediaStream {

    final Leg rtcp;
    final Leg rtp;

    /** Address the sockets are (or will be) bound to. */
    InetAddress localAddress;
    /** RTP port; 0 until the sockets exist. */
    int port;
    /** Set by a U/L with the W modifier: the stream survives a plain D. */
    boolean weak;
    /** Payload types from the c modifier (kept for Q/I; no transcoding is done). */
    String codecs;

    MediaStream(InetAddress localAddress, int latchPackets) {
        this.localAddress = localAddress;
        this.rtcp = new Leg(null, latchPackets);
        this.rtp = new Leg(rtcp, latchPackets);
    }

    boolean hasSockets() {
        return port != 0;
    }

    void attach(PortAllocator.PortPair pair) {
        rtp.channel = pair.rtp();
        rtcp.channel = pair.rtcp();
        port = pair.port();
    }

    /** Signalled media address of this side's party: RTP at {@code address}, RTCP at port + 1. */
    void prefill(InetSocketAddress address) {
        rtp.prefill(address);
        rtcp.prefill(new InetSocketAddress(address.getAddress(), address.getPort() + 1));
    }

    void hold() {
        rtp.onHold = true;
        rtcp.onHold = true;
    }

    void setAsymmetric(boolean value) {
        rtp.setAsymmetric(value);
        rtcp.setAsymmetric(value);
    }

    void close() {
        rtp.closeChannel();
        rtcp.closeChannel();
    }
}
