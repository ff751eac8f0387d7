package dev.kemi.runtime.core;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker threads (cfg {@code children}): each runs its tasks in order from its own queue,
 * so all messages of one call, hashed to the same worker, are processed in arrival order. A task
 * that throws is logged and the worker goes on.
 */
public final class WorkerPool {
    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);
    private static final Runnable STOP = () -> { };
    private final Worker[] workers;
    private final AtomicInteger roundRobin = new AtomicInteger();
    private volatile boolean accepting = true;

    /** @param queueCapacity tasks waiting per worker before new ones are refused (overload) */
    public WorkerPool(int size, int queueCapacity) {
        workers = new Worker[size];
        for (int i = 0; i < size; i++) {
            workers[i] = new Worker(i, new ArrayBlockingQueue<>(queueCapacity));
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
        if (!accepting) return false;
        int i = hash < 0 ? Math.floorMod(roundRobin.getAndIncrement(), workers.length) : spread(hash) % workers.length;
        return workers[i].queue.offer(task);
    }

    /** Stops taking tasks, lets the queued ones finish (up to the timeout), and ends the threads. */
    public void shutdown(long timeout, TimeUnit unit) {
        accepting = false;
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (Worker w : workers) {
            try {
                // a full queue behind a stuck worker must not hang the shutdown: wait only until the deadline
                w.queue.offer(STOP, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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

    private static final class Worker extends Thread {
        final int index;
        final BlockingQueue<Runnable> queue;

        Worker(int index, BlockingQueue<Runnable> queue) {
            super("worker-" + index);
            this.index = index;
            this.queue = queue;
            setDaemon(true);
        }

        @Override
        public void run() {
            while (true) {
                Runnable task;
                try {
                    task = queue.take();
                } catch (InterruptedException e) {
                    return;
                }
                if (task == STOP) return;
                try {
                    task.run();
                } catch (Throwable t) {
                    log.error("worker {}: task failed", index, t);
                }
            }
        }
    }
}
