package dev.kemi.runtime.core;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Timers whose task runs on the worker owning a key (a Call-ID), in order with that call's messages. */
public interface WorkerTimers {
    /** Runs {@code task} on the worker owning {@code key}, no sooner than {@code delayMs} from now. */
    Timer schedule(String key, long delayMs, Runnable task);

    /** A pending timer; cancelling one whose task was already handed to its worker still prevents its run. */
    interface Timer {
        void cancel();
    }

    /**
     * Over the proxy's scheduled executor, each expiry handed to its worker on its own: for a
     * proxy whose executor is a virtual clock (InlineProxy, tests).
     */
    static WorkerTimers over(ProxyServices services) {
        final class Handle implements Timer {
            volatile boolean cancelled;
            volatile ScheduledFuture<?> future;

            @Override
            public void cancel() {
                cancelled = true;
                ScheduledFuture<?> f = future;
                if (f != null) f.cancel(false);
            }
        }
        return (key, delayMs, task) -> {
            Handle h = new Handle();
            h.future = services.timers().schedule(
                    () -> services.runOnWorker(key, () -> { if (!h.cancelled) task.run(); }),
                    delayMs, TimeUnit.MILLISECONDS);
            return h;
        };
    }
}
