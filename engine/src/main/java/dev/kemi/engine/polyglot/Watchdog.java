package dev.kemi.engine.polyglot;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Interrupts script calls that run longer than their limit. One daemon thread scans the live
 * workers' start times every 50 ms, so a call costs two volatile writes and nothing else. The
 * interrupted call ends with an interrupt PolyglotException on its own thread (logged there with
 * the script stack); the context stays usable for the next message.
 */
final class Watchdog {
    static final Watchdog INSTANCE = new Watchdog();
    private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);
    private static final long SCAN_MS = 50;

    private final Set<Worker> workers = ConcurrentHashMap.newKeySet();
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
                LOG.error("script watchdog", e);
            }
        }
    }

    private void scan(long now) {
        for (Worker w : workers) {
            long start = w.callStart;
            if (start != 0 && !w.interrupted && now - start > w.limitNanos) {
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
}
