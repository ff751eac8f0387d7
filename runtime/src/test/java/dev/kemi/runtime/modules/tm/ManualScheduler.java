package dev.kemi.runtime.modules.tm;

import dev.kemi.runtime.core.WorkerTimers;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A clock moved by hand: timers run inline when {@link #advance} passes their due time. */
final class ManualScheduler implements TmScheduler {
    private long now;
    private long seq;
    private final List<Entry> entries = new ArrayList<>();

    private static final class Entry implements WorkerTimers.Timer {
        final long due;
        final long order;
        final Runnable task;
        boolean cancelled;

        Entry(long due, long order, Runnable task) {
            this.due = due;
            this.order = order;
            this.task = task;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    @Override
    public WorkerTimers.Timer schedule(String key, long delayMs, Runnable task) {
        Entry e = new Entry(now + delayMs, seq++, task);
        entries.add(e);
        return e;
    }

    @Override
    public long now() {
        return now;
    }

    void advance(long ms) {
        long end = now + ms;
        while (true) {
            Entry next = entries.stream().filter(e -> !e.cancelled && e.due <= end)
                    .min(Comparator.<Entry>comparingLong(e -> e.due).thenComparingLong(e -> e.order)).orElse(null);
            if (next == null) break;
            entries.remove(next);
            now = Math.max(now, next.due);
            next.task.run();
        }
        now = end;
        entries.removeIf(e -> e.cancelled);
    }
}
