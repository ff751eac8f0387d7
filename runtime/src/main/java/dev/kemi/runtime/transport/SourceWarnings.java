package dev.kemi.runtime.transport;

import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * WARN at most once a minute per source, so a peer sending garbage cannot flood the log.
 * Later occurrences within the minute go to DEBUG.
 */
public final class SourceWarnings {
    private static final long INTERVAL_NANOS = 60_000_000_000L;
    private static final int MAX_SOURCES = 10_000;
    private final Logger log;
    private final ConcurrentHashMap<String, Long> lastWarned = new ConcurrentHashMap<>();

    public SourceWarnings(Logger log) {
        this.log = log;
    }

    /** Logs the message, at WARN if this source (an IP) had none in the last minute. */
    public void warn(String source, String message) {
        long now = System.nanoTime();
        Long last = lastWarned.get(source);
        if (last != null && now - last < INTERVAL_NANOS) {
            log.debug("{}", message);
            return;
        }
        if (lastWarned.size() >= MAX_SOURCES) lastWarned.clear();
        lastWarned.put(source, now);
        log.warn("{} (more from {} within a minute are logged at DEBUG)", message, source);
    }
}
