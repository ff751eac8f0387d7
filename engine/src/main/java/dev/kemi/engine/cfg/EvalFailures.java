package dev.kemi.engine.cfg;

import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluation failures the interpreter handles (a PV that cannot be read is undefined, a bad
 * dynamic regex does not match), logged with their cfg place: WARN once a minute per place,
 * DEBUG in between, so traffic that triggers one on every message cannot flood the log.
 */
final class EvalFailures {
    private static final Logger LOG = LoggerFactory.getLogger(EvalFailures.class);
    private static final long INTERVAL_NANOS = 60_000_000_000L;
    private static final int MAX_PLACES = 1_000;
    private static final ConcurrentHashMap<String, Long> LAST = new ConcurrentHashMap<>();

    private EvalFailures() {}

    static void handled(String where, String what, RuntimeException e) {
        long now = System.nanoTime();
        Long last = LAST.get(where);
        if (last != null && now - last < INTERVAL_NANOS) {
            LOG.debug("{}: {}: {}", where, what, e.toString());
            return;
        }
        if (LAST.size() >= MAX_PLACES) LAST.clear();
        LAST.put(where, now);
        LOG.warn("{}: {} (more within a minute at DEBUG): {}", where, what, e.toString());
    }
}
