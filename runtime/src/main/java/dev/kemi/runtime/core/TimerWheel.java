package dev.kemi.runtime.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hashed timer wheel ticking every {@value #TICK_MS} ms, as Kamailio's timer process ticks (at
 * 1/16 s there): each tick hands every worker one task with all of its expired timers. tm sets
 * several timers per transaction (retransmission, fr, lifetime, wait) and cancels most of them;
 * a scheduled executor paid a heap operation under its lock for each and a thread wake-up, and a
 * worker wake-up, for each expiry.
 *
 * <p>A timer fires at the first tick at or after its due time, so up to one tick late, never
 * early. Scheduling and cancelling take the wheel's lock; a cancelled timer leaves its slot at
 * once, so a long timer (a 180 s lifetime) does not hold its transaction after the cancel.
 */
public final class TimerWheel implements WorkerTimers {
    private static final Logger log = LoggerFactory.getLogger(TimerWheel.class);
    static final long TICK_MS = 20;
    private static final long TICK_NS = TimeUnit.MILLISECONDS.toNanos(TICK_MS);
    /** 256 ticks: a rotation of 5.12 s holds the 5 s wait timers in one pass. */
    private static final int SLOTS = 256;
    private static final int MASK = SLOTS - 1;

    private final WorkerPool workers;
    private final LongSupplier nanoClock;
    private final long origin;
    private final Entry[] slots = new Entry[SLOTS];
    /** The last tick expired; guarded by this. */
    private long tick;
    private int size;
    /** Batches a full worker queue refused, handed again at the next tick; timer thread only. */
    private final List<List<Entry>> refused = new ArrayList<>();

    public TimerWheel(WorkerPool workers) {
        this(workers, System::nanoTime);
    }

    /** With {@code nanoClock} in place of System.nanoTime (tests move it by hand). */
    TimerWheel(WorkerPool workers, LongSupplier nanoClock) {
        this.workers = workers;
        this.nanoClock = nanoClock;
        this.origin = nanoClock.getAsLong();
    }

    @Override
    public synchronized Timer schedule(String key, long delayMs, Runnable task) {
        long dueNs = nanoClock.getAsLong() - origin + TimeUnit.MILLISECONDS.toNanos(Math.max(0, delayMs));
        Entry e = new Entry(Math.max(tick + 1, (dueNs + TICK_NS - 1) / TICK_NS), workers.indexOf(CallIdHash.of(key)), task);
        int s = (int) (e.due & MASK);
        e.next = slots[s];
        if (e.next != null) e.next.prev = e;
        slots[s] = e;
        e.linked = true;
        size++;
        return e;
    }

    /** One tick, on the proxy's timer thread: expires what is due and hands it to the workers. */
    public void advance() {
        try {
            List<Entry>[] due = expire((nanoClock.getAsLong() - origin) / TICK_NS);
            for (int i = refused.size() - 1; i >= 0; i--) {
                List<Entry> batch = refused.remove(i);
                dispatch(batch.get(0).worker, batch);
            }
            if (due != null) {
                for (int w = 0; w < due.length; w++) if (due[w] != null) dispatch(w, due[w]);
            }
        } catch (RuntimeException e) {
            log.error("timer tick failed", e); // a throwing fixed-rate task would never run again
        }
    }

    @SuppressWarnings("unchecked")
    private synchronized List<Entry>[] expire(long now) {
        if (size == 0) {
            tick = Math.max(tick, now);
            return null;
        }
        List<Entry>[] due = null;
        while (tick < now) {
            tick++;
            for (Entry e = slots[(int) (tick & MASK)], next; e != null; e = next) {
                next = e.next;
                if (e.due > tick) continue;
                unlink(e);
                if (due == null) due = new List[workers.size()];
                if (due[e.worker] == null) due[e.worker] = new ArrayList<>();
                due[e.worker].add(e);
            }
        }
        return due;
    }

    private void dispatch(int worker, List<Entry> batch) {
        if (!workers.executeAt(worker, () -> run(batch))) refused.add(batch);
    }

    private static void run(List<Entry> batch) {
        for (Entry e : batch) {
            if (e.cancelled) continue;
            try {
                e.task.run();
            } catch (Throwable ex) { // as a worker task: logged, and the batch goes on
                log.error("timer task failed", ex);
            }
        }
    }

    private void unlink(Entry e) {
        if (!e.linked) return;
        if (e.prev != null) e.prev.next = e.next;
        else slots[(int) (e.due & MASK)] = e.next;
        if (e.next != null) e.next.prev = e.prev;
        e.prev = e.next = null;
        e.linked = false;
        size--;
    }

    private final class Entry implements Timer {
        final long due;
        final int worker;
        final Runnable task;
        Entry prev, next;
        boolean linked;
        volatile boolean cancelled;

        Entry(long due, int worker, Runnable task) {
            this.due = due;
            this.worker = worker;
            this.task = task;
        }

        @Override
        public void cancel() {
            cancelled = true;
            synchronized (TimerWheel.this) {
                unlink(this);
            }
        }
    }
}
