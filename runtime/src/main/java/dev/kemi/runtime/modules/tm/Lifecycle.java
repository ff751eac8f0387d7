package dev.kemi.runtime.modules.tm;

import dev.kemi.runtime.core.WorkerTimers;

/** The end of a transaction: max lifetime, then wt_timer on wait, then deleted. */
final class Lifecycle {
    /** Completed: only absorbs retransmissions until the wait timer deletes it. */
    boolean waiting;
    boolean deleted;
    /** max_inv_lifetime / max_noninv_lifetime; null once a final went upstream. */
    WorkerTimers.Timer lifetime;
    WorkerTimers.Timer waitTimer;

    void stopLifetime() {
        if (lifetime != null) lifetime.cancel();
        lifetime = null;
    }
}
