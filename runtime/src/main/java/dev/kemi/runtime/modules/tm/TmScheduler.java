package dev.kemi.runtime.modules.tm;

import dev.kemi.runtime.core.WorkerTimers;

/**
 * Where tm's timers come from. Production runs them on the proxy's worker timers, which run the
 * task on the worker owning the key (the Call-ID), so timer work is serialized with the messages
 * of that call; tests advance a manual clock instead of sleeping.
 */
public interface TmScheduler {
    /** Runs {@code task} after {@code delayMs} on the worker owning {@code key}; cancelling a timer whose task was already queued still prevents its run. */
    WorkerTimers.Timer schedule(String key, long delayMs, Runnable task);

    /** Milliseconds on this scheduler's clock. */
    long now();
}
