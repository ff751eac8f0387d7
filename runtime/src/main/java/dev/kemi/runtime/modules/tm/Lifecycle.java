package dev.kemi.runtime.modules.tm;

/** The end of a transaction: max lifetime, then wt_timer on wait, then deleted. */
final class Lifecycle {
    /** Completed: only absorbs retransmissions until the wait timer deletes it. */
    boolean waiting;
    boolean deleted;
    /** max_inv_lifetime / max_noninv_lifetime; null once a final went upstream. */
    TmScheduler.Timer lifetime;
    TmScheduler.Timer waitTimer;

    void stopLifetime() {
        if (lifetime != null) lifetime.cancel();
        lifetime = null;
    }
}
