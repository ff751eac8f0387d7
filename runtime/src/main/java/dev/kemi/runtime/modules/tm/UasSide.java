package dev.kemi.runtime.modules.tm;

import dev.kemi.runtime.core.WorkerTimers;

/**
 * The server transaction facing upstream: what was last sent there, with which To-tag, and the
 * retransmission of a negative INVITE final until its ACK comes (RFC 3261 §17.2.1).
 */
final class UasSide {
    /** Status of the last reply sent upstream, 0 if none. */
    int status;
    byte[] lastReply;
    /** The To-tag of tm's own replies. */
    final String toTag;
    /** t_replicate(): nobody upstream to answer; replies and tm's own finals stay here (T_IS_LOCAL_FLAG). */
    boolean local;
    /** Request-level ACK for a negative final was received (or the reply was 2xx). */
    boolean acked;
    WorkerTimers.Timer retr;
    long retrInterval;
    /** How long a negative INVITE final waits for its ACK. */
    WorkerTimers.Timer ackWait;

    UasSide(String toTag) {
        this.toTag = toTag;
    }

    /** Stops retransmitting the final and waiting for its ACK. */
    void stopTimers() {
        if (retr != null) retr.cancel();
        if (ackWait != null) ackWait.cancel();
        retr = null;
        ackWait = null;
    }
}
