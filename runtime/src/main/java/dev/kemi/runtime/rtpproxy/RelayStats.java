package dev.kemi.runtime.rtpproxy;

import java.util.concurrent.atomic.LongAdder;

/** Relay-wide counters (I and G commands). */
final class RelayStats {
    final LongAdder packetsReceived = new LongAdder();
    final LongAdder packetsRelayed = new LongAdder();
    final LongAdder packetsDropped = new LongAdder();
    /** Control-thread only. */
    long sessionsCreated;
    long sessionsDestroyed;
    long sessionsTimedOut;
    long commandsReceived;
}
