package dev.kemi.engine.polyglot;

import dev.kemi.api.LogThrottle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Interrupts script calls that use more CPU time than their limit. One daemon thread scans the
 * live workers every 50 ms, so a call costs three volatile writes and nothing else. CPU time, not
 * wall time: a call that is merely slow because its thread waits (an overloaded machine, a GC, a
 * blocking function) is no runaway, and interrupting it would only lose its message. The
 * interrupted call ends with an interrupt PolyglotException on its own thread (logged there with
 * the script stack); the context stays usable for the next message.
 */
final class Watchdog {
    static final Watchdog INSTANCE = new Watchdog();
    private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);
    private static final long SCAN_MS = 50;

    private final Set<Worker> workers = ConcurrentHashMap.newKeySet();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final LogThrottle failures = LogThrottle.perMinute();
    private volatile Thread thread;

    private Watchdog() {}

    void register(Worker w) {
        workers.add(w);
        if (thread == null) start();
    }

    void unregister(Worker w) {
        workers.remove(w);
    }

    private synchronized void start() {
        if (thread != null) return;
        Thread t = new Thread(this::run, "kemi-script-watchdog");
        t.setDaemon(true);
        t.start();
        thread = t;
    }

    private void run() {
        for (;;) {
            try {
                Thread.sleep(SCAN_MS);
                scan(System.nanoTime());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // a bug in a scan must not end the watchdog; every scan would hit it again
                long more = failures.admit("scan");
                if (more != LogThrottle.SUPPRESS) LOG.error("script watchdog: scan failed{}", LogThrottle.more(more), e);
            }
        }
    }

    private void scan(long now) {
        for (Worker w : workers) {
            long start = w.callStart;
            if (start != 0 && !w.interrupted && cpuUsed(w, start, now) > w.limitNanos && w.callStart == start) {
                w.interrupted = true;
                try {
                    w.context.interrupt(Duration.ofMillis(200));
                } catch (TimeoutException ex) {
                    // busy in host code (a blocking KSR function): retried on the next scan
                    w.interrupted = false;
                } catch (IllegalStateException ex) {
                    // context closed meanwhile
                }
            }
        }
    }

    /**
     * CPU time of the call's thread since this scan first saw the call (up to one scan interval
     * late), or its wall time where the JVM cannot measure thread CPU time.
     */
    private long cpuUsed(Worker w, long start, long now) {
        Thread t = w.owner;
        long cpu = t == null ? -1 : threads.getThreadCpuTime(t.threadId());
        if (cpu < 0) return now - start;
        if (w.seenStart != start) {
            w.seenStart = start;
            w.seenCpu = cpu;
        }
        return cpu - w.seenCpu;
    }
}
