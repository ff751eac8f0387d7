package dev.kemi.runtime.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A virtual clock that is also the proxy's timer service. Tasks never run by themselves: they
 * run on the harness thread when the harness advances virtual time, in time order and FIFO for
 * equal times, so retransmission timers and 408s happen instantly and every run repeats
 * exactly. Not thread-safe by design: the harness and the proxy under test share one thread.
 */
public final class VirtualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
    private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
    private long nowNanos;
    private long seq;
    private boolean shutdown;

    public long nowMillis() {
        return TimeUnit.NANOSECONDS.toMillis(nowNanos);
    }

    public long nowNanos() {
        return nowNanos;
    }

    /** Number of tasks waiting (cancelled ones excluded). */
    public int pending() {
        int n = 0;
        for (Task<?> t : queue) if (!t.isCancelled()) n++;
        return n;
    }

    /** Runs every task due now, including tasks they schedule for now. */
    public void runDue() {
        advanceTo(nowNanos, () -> false);
    }

    /** Advances the clock by {@code ms}, running the tasks due on the way. */
    public void advance(long ms) {
        advanceTo(nowNanos + TimeUnit.MILLISECONDS.toNanos(ms), () -> false);
    }

    /**
     * Runs tasks in order until {@code stop} is true (checked before each task) or none is due by
     * {@code targetNanos}. Returns true if stopped early: the clock then stays at the time of the
     * last task run; otherwise it ends at {@code targetNanos}.
     */
    public boolean advanceTo(long targetNanos, BooleanSupplier stop) {
        while (true) {
            if (stop.getAsBoolean()) return true;
            Task<?> next = queue.peek();
            if (next == null || next.at > targetNanos) break;
            queue.poll();
            if (next.isCancelled()) continue;
            nowNanos = Math.max(nowNanos, next.at);
            next.run();
        }
        nowNanos = Math.max(nowNanos, targetNanos);
        return stop.getAsBoolean();
    }

    private <V> Task<V> enqueue(Task<V> t) {
        if (shutdown) throw new java.util.concurrent.RejectedExecutionException("virtual scheduler shut down");
        queue.add(t);
        return t;
    }

    private long at(long delay, TimeUnit unit) {
        return nowNanos + Math.max(0, unit.toNanos(delay));
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return enqueue(new Task<>(Executors.callable(command, null), at(delay, unit), 0));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return enqueue(new Task<>(callable, at(delay, unit), 0));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        if (period <= 0) throw new IllegalArgumentException("period <= 0");
        return enqueue(new Task<>(Executors.callable(command, null), at(initialDelay, unit), unit.toNanos(period)));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        if (delay <= 0) throw new IllegalArgumentException("delay <= 0");
        // with zero execution time, fixed delay and fixed rate coincide on a virtual clock
        return enqueue(new Task<>(Executors.callable(command, null), at(initialDelay, unit), unit.toNanos(delay)));
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> out = new ArrayList<>(queue);
        queue.clear();
        return out;
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown && queue.isEmpty();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }

    private final class Task<V> extends FutureTask<V> implements RunnableScheduledFuture<V> {
        private long at;
        private final long period;
        private final long order = seq++;

        Task(Callable<V> c, long at, long period) {
            super(c);
            this.at = at;
            this.period = period;
        }

        @Override
        public boolean isPeriodic() {
            return period > 0;
        }

        @Override
        public void run() {
            if (!isPeriodic()) {
                super.run();
            } else if (runAndReset() && !shutdown) {
                at += period;
                queue.add(this);
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(at - nowNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            Task<?> t = (Task<?>) o;
            int c = Long.compare(at, t.at);
            return c != 0 ? c : Long.compare(order, t.order);
        }
    }
}

