package dev.kemi.runtime.rtpproxy;

import io.netty.channel.EventLoop;
import java.net.InetAddress;

/**
 * A relayed media session, keyed by Call-ID and the creator's tag ({@code from_tag;medianum}).
 * {@code streams[0]} faces the callee (its port answers the creating U), {@code streams[1]} faces
 * the caller (its port answers the L). All four sockets live on one event loop so that a packet
 * is relayed without a thread hop.
 */
final class RelaySession {

    final String callId;
    final String tag;
    final EventLoop loop;
    final MediaStream[] streams;

    /** A U without W marked the session: a plain D removes it (see rtpproxy's weak/strong). */
    boolean strong;
    /** Last admitted packet or command, System.nanoTime(); drives the TTL. */
    volatile long lastActive;

    RelaySession(String callId, String tag, EventLoop loop, InetAddress calleeSide, InetAddress callerSide,
                 int latchPackets) {
        this.callId = callId;
        this.tag = tag;
        this.loop = loop;
        this.streams = new MediaStream[] {new MediaStream(calleeSide, latchPackets), new MediaStream(callerSide, latchPackets)};
        touch();
    }

    void touch() {
        lastActive = System.nanoTime();
    }

    /** Whole seconds left before the TTL removes the session. */
    int ttlLeft(int ttlSeconds, long now) {
        long idle = (now - lastActive) / 1_000_000_000L;
        return (int) Math.max(0, ttlSeconds - idle);
    }

    boolean expired(int ttlSeconds, long now) {
        return now - lastActive >= ttlSeconds * 1_000_000_000L;
    }

    long rtpPacketsIn(int index) {
        return streams[index].rtp.packetsIn;
    }

    long rtpRelayed() {
        return streams[0].rtp.relayed + streams[1].rtp.relayed;
    }

    long rtpDropped() {
        return streams[0].rtp.dropped + streams[1].rtp.dropped;
    }

    void close() {
        streams[0].close();
        streams[1].close();
    }
}
