package dev.kemi.runtime.modules.tm;

import dev.kemi.runtime.core.ProxyServices;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** {@link TmScheduler} over ProxyServices.timers(), running expiries on the call's worker. */
final class ServicesScheduler implements TmScheduler {
    private final ProxyServices services;

    ServicesScheduler(ProxyServices services) {
        this.services = services;
    }

    @Override
    public Timer schedule(String key, long delayMs, Runnable task) {
        Handle h = new Handle();
        h.future = services.timers().schedule(
                () -> services.runOnWorker(key, () -> { if (!h.cancelled) task.run(); }),
                delayMs, TimeUnit.MILLISECONDS);
        return h;
    }

    @Override
    public long now() {
        return System.nanoTime() / 1_000_000L;
    }

    private static final class Handle implements Timer {
        volatile boolean cancelled;
        volatile ScheduledFuture<?> future;

        @Override
        public void cancel() {
            cancelled = true;
            ScheduledFuture<?> f = future;
            if (f != null) f.cancel(false);
        }
    }
}
