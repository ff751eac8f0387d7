package dev.kemi.runtime.transport;

import dev.kemi.api.LogThrottle;
import org.slf4j.Logger;

/**
 * WARN at most once a minute per source, so a peer sending garbage cannot flood the log.
 * Later occurrences within the minute go to DEBUG, and the next WARN says how many there were.
 */
public final class SourceWarnings {
    private final Logger log;
    private final LogThrottle throttle = LogThrottle.perMinute();

    public SourceWarnings(Logger log) {
        this.log = log;
    }

    /** Logs the message, at WARN if this source (an IP) had none in the last minute. */
    public void warn(String source, String message) {
        long more = throttle.admit(source);
        if (more == LogThrottle.SUPPRESS) {
            log.debug("{}", message);
            return;
        }
        log.warn("{}{} (more from {} within a minute are logged at DEBUG)", message, LogThrottle.more(more), source);
    }
}
