package dev.kemi.runtime.core;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker threads (cfg {@code children}): each runs its tasks in order from its own queue,
 * so all messages of one call, hashed to the same worker, are processed in arrival order. A task
 * that throws is logged and the worker goes on.
 *
 * <p>Each queue is bounded in tasks and in the bytes of the messages it holds. A datagram or a
 * timer task over either bound is refused (the sender retransmits); past half the bytes, one
 * source may hold a quarter of them at most. A message read from a stream
 * is never refused — SIP does not retransmit over TCP — instead its reader is told to stop reading
 * once the queue holds an eighth of the byte bound, and is resumed when it drained to a sixteenth
 * (a pipelining TCP peer must not delay the datagrams behind it by more than that): the
 * connection's kernel buffers fill and the peer is slowed down, as Kamailio's TCP reader, which
 * routes one message at a time, slows it down.
 */
public final class WorkerPool {
    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);
    private static final Task STOP = new Task(() -> { }, 0, null);
    private final Worker[] workers;
    private final AtomicInteger roundRobin = new AtomicInteger();
    private final int maxTasks;
    private final long maxBytes;
    private volatile boolean accepting = true;

    private record Task(Runnable run, int bytes, Object source) {}

    /** @param maxTasks tasks waiting per worker before datagrams and timer tasks are refused */
    public WorkerPool(int size, int maxTasks) {
        this(size, maxTasks, Long.MAX_VALUE / 4);
    }

    /**
     * @param maxTasks tasks waiting per worker before datagrams and timer tasks are refused
     * @param maxBytes message bytes waiting per worker before datagrams are refused; streams pause at an eighth
     */
    public WorkerPool(int size, int maxTasks, long maxBytes) {
        this.maxTasks = maxTasks;
        this.maxBytes = maxBytes;
        workers = new Worker[size];
        for (int i = 0; i < size; i++) {
            workers[i] = new Worker(i);
            workers[i].start();
        }
    }

    public int size() {
        return workers.length;
    }

    /** Index of the worker running the calling thread, or -1 off the workers (per-worker script state). */
    public static int currentIndex() {
        return Thread.currentThread() instanceof Worker w ? w.index : -1;
    }

    /**
     * Queues a task on the worker owning {@code hash}; a negative hash means any worker (round
     * robin). False if that worker's queue is full or the pool is stopping.
     */
    public boolean execute(int hash, Runnable task) {
        return offer(hash, task, 0);
    }

    /** As {@link #execute}, for {@code bytes} of message: also refused when the queue's bytes would pass the bound. */
    public boolean offer(int hash, Runnable task, int bytes) {
        return offer(hash, task, bytes, null);
    }

    /**
     * As {@link #offer(int, Runnable, int)}, for a datagram from {@code source} (an IP address):
     * once the queue is half full, a source holding a quarter of the bound already is refused,
     * so that one flooding peer gets its share of the queue, not all of it.
     */
    public boolean offer(int hash, Runnable task, int bytes, Object source) {
        if (!accepting) return false;
        Worker w = worker(hash);
        long queued = w.bytes.get();
        if (w.count.get() >= maxTasks || queued + bytes > maxBytes) return false;
        if (source != null && queued > maxBytes / 2 && w.bytesOf(source) + bytes > maxBytes / 4) return false;
        w.add(new Task(task, bytes, source));
        return true;
    }

    /**
     * Queues a message read from a stream: never refused while the pool runs. Returns false when
     * the worker's queue is past its stream mark: the caller stops reading and {@code resume}
     * runs (on a worker thread) once the queue has drained.
     */
    public boolean push(int hash, Runnable task, int bytes, Runnable resume) {
        if (!accepting) return true;
        Worker w = worker(hash);
        w.add(new Task(task, bytes, null));
        if (w.bytes.get() <= maxBytes / 8) return true;
        w.paused.add(resume);
        w.resumeIfDrained(); // the worker may have drained the queue before the reader was listed
        return false;
    }

    /** The worker {@link #execute} would pick for {@code hash}, for callers that batch work per worker. */
    public int indexOf(int hash) {
        return hash < 0 ? Math.floorMod(roundRobin.getAndIncrement(), workers.length) : spread(hash) % workers.length;
    }

    /** Queues a task on worker {@code index} (from {@link #indexOf}); false if its queue is full or the pool is stopping. */
    public boolean executeAt(int index, Runnable task) {
        if (!accepting) return false;
        Worker w = workers[index];
        if (w.count.get() >= maxTasks) return false;
        w.add(new Task(task, 0, null));
        return true;
    }

    private Worker worker(int hash) {
        return workers[indexOf(hash)];
    }

    /** Stops taking tasks, lets the queued ones finish (up to the timeout), and ends the threads. */
    public void shutdown(long timeout, TimeUnit unit) {
        accepting = false;
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (Worker w : workers) w.add(STOP);
        for (Worker w : workers) {
            try {
                w.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (w.isAlive()) {
                log.warn("worker {} still busy after {} {}; interrupting", w.index, timeout, unit);
                w.interrupt();
            }
        }
    }

    private static int spread(int h) {
        return (h ^ (h >>> 16)) & 0x7fffffff;
    }

    private final class Worker extends Thread {
        final int index;
        /**
         * Lock-free, with a park flag: a producer wakes the worker only when it sleeps. A blocking
         * queue made each datagram's I/O thread take the worker's lock to signal it, and wait on
         * that lock while the worker held it.
         */
        final ConcurrentLinkedQueue<Task> queue = new ConcurrentLinkedQueue<>();
        final AtomicInteger count = new AtomicInteger();
        volatile boolean parked;
        final AtomicLong bytes = new AtomicLong();
        /** Bytes queued per datagram source. */
        final ConcurrentHashMap<Object, Long> bySource = new ConcurrentHashMap<>();
        /** Readers stopped because this queue passed its stream mark. */
        final ConcurrentLinkedQueue<Runnable> paused = new ConcurrentLinkedQueue<>();

        Worker(int index) {
            super("worker-" + index);
            this.index = index;
            setDaemon(true);
        }

        void add(Task t) {
            bytes.addAndGet(t.bytes);
            if (t.source != null) bySource.merge(t.source, (long) t.bytes, Long::sum);
            queue.add(t);
            count.incrementAndGet();
            if (parked) LockSupport.unpark(this); // read after the add: the worker re-checks the queue after setting it
        }

        long bytesOf(Object source) {
            Long n = bySource.get(source);
            return n == null ? 0 : n;
        }

        void resumeIfDrained() {
            if (paused.isEmpty() || bytes.get() > maxBytes / 16) return;
            for (Runnable r; (r = paused.poll()) != null; ) r.run();
        }

        @Override
        public void run() {
            while (true) {
                Task task = queue.poll();
                if (task == null) {
                    parked = true;
                    if (queue.isEmpty()) LockSupport.park(this);
                    parked = false;
                    if (isInterrupted()) return;
                    continue;
                }
                count.decrementAndGet();
                if (task == STOP) return;
                bytes.addAndGet(-task.bytes);
                if (task.source != null) bySource.computeIfPresent(task.source, (k, n) -> n <= task.bytes ? null : n - task.bytes);
                resumeIfDrained();
                try {
                    task.run.run();
                } catch (Throwable t) {
                    log.error("worker {}: task failed", index, t);
                }
            }
        }
    }
}
