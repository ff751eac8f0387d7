package dev.kemi.runtime.rtpproxy;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;

/**
 * One socket of a media stream (RTP or RTCP) and the party behind it: packets from that party
 * arrive on {@link #channel}, packets for it leave from the same socket to {@link #remote}.
 * Written by the control thread (signalled address, modes) and by the session's event loop
 * (latching, counters), hence the volatile fields; each counter has a single writer, the loop.
 */
final class Leg {

    /** The RTCP leg of the same stream, whose address follows a newly latched RTP address. */
    private final Leg rtcp;

    volatile Channel channel;
    volatile InetSocketAddress remote;
    /** Symmetric mode: the remote address was learnt from (or fixed to) a packet source. */
    volatile boolean latched;
    volatile boolean asymmetric;
    /** The party signalled a null address: nothing is sent to it. */
    volatile boolean onHold;

    volatile long packetsIn;
    volatile long relayed;
    volatile long dropped;

    /** Packets in a row from a source off the signalled IP before latching onto it. */
    private final int latchPackets;
    /** Event loop only: the source that may be latched onto, and its packets in a row so far. */
    private InetSocketAddress candidate;
    private int candidatePackets;

    Leg(Leg rtcp, int latchPackets) {
        this.rtcp = rtcp;
        this.latchPackets = latchPackets;
    }

    /**
     * Whether a packet from {@code source} belongs to this party. Symmetric legs latch onto a
     * source on the signalled IP at once, onto another one (a NAT) after {@link #latchPackets}
     * packets in a row from it, then accept only that source (rtpengine's strict source);
     * asymmetric legs keep the signalled address and only check the host.
     */
    boolean admit(InetSocketAddress source) {
        InetSocketAddress current = remote;
        if (asymmetric) {
            if (current == null) {
                remote = source;
                return true;
            }
            return current.getAddress().equals(source.getAddress());
        }
        if (!latched) {
            boolean signalledIp = current != null && current.getAddress().equals(source.getAddress());
            if (!signalledIp && latchPackets > 1) {
                if (!source.equals(candidate)) {
                    candidate = source;
                    candidatePackets = 0;
                }
                if (++candidatePackets < latchPackets) return false;
            }
            candidate = null;
            if (!source.equals(current)) {
                remote = source;
                if (rtcp != null && !rtcp.latched && source.getPort() < 65535) {
                    rtcp.remote = new InetSocketAddress(source.getAddress(), source.getPort() + 1);
                }
            }
            latched = true;
            return true;
        }
        return source.equals(current);
    }

    /** Address from signalling (U/L); a new address may be latched again from traffic. */
    void prefill(InetSocketAddress address) {
        onHold = false;
        if (!address.equals(remote)) {
            remote = address;
            latched = asymmetric;
        }
    }

    void setAsymmetric(boolean value) {
        asymmetric = value;
        if (value) {
            latched = true;
        }
    }

    /** Closes the socket and waits, so that its port can be handed out again at once. */
    void closeChannel() {
        Channel c = channel;
        if (c != null) {
            c.close().awaitUninterruptibly();
        }
    }
}
