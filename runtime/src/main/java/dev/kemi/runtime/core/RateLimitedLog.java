package dev.kemi.runtime.core;

import dev.kemi.api.LogThrottle;
import org.slf4j.Logger;

/**
 * A logger for failures that may repeat with every message or timer run: per key (the place that
 * failed), at most what its {@link LogThrottle} admits goes out at the given level, saying how
 * many were left out since; the rest go to DEBUG. One per module instance or per component.
 */
public final class RateLimitedLog {
    private final Logger log;
    private final LogThrottle throttle;

    /** One line a minute per key. */
    public RateLimitedLog(Logger log) {
        this(log, LogThrottle.perMinute());
    }

    public RateLimitedLog(Logger log, LogThrottle throttle) {
        this.log = log;
        this.throttle = throttle;
    }

    /** ERROR; {@code stack}, if not null, with its stack trace (a bug), else the message says it all. */
    public void error(String key, String message, Throwable stack) {
        long more = throttle.admit(key);
        if (more == LogThrottle.SUPPRESS) log.debug("{}", message);
        else if (stack != null) log.error("{}{}", message, LogThrottle.more(more), stack);
        else log.error("{}{}", message, LogThrottle.more(more));
    }

    /** WARN, as {@link #error}. */
    public void warn(String key, String message, Throwable stack) {
        long more = throttle.admit(key);
        if (more == LogThrottle.SUPPRESS) log.debug("{}", message);
        else if (stack != null) log.warn("{}{}", message, LogThrottle.more(more), stack);
        else log.warn("{}{}", message, LogThrottle.more(more));
    }
}
