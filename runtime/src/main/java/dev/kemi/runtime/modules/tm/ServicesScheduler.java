package dev.kemi.runtime.modules.tm;

import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.core.WorkerTimers;

/** {@link TmScheduler} over the proxy's worker timers: expiries run on the call's worker. */
final class ServicesScheduler implements TmScheduler {
    private final WorkerTimers timers;

    ServicesScheduler(ProxyServices services) {
        this.timers = services.workerTimers();
    }

    @Override
    public WorkerTimers.Timer schedule(String key, long delayMs, Runnable task) {
        return timers.schedule(key, delayMs, task);
    }

    @Override
    public long now() {
        return System.nanoTime() / 1_000_000L;
    }
}
