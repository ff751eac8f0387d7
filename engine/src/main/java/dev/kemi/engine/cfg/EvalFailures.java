package dev.kemi.engine.cfg;

import dev.kemi.api.LogThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failures the interpreter handles, logged with their cfg place once a minute per place (DEBUG
 * in between, the next line counting them), so traffic that triggers one on every message cannot
 * flood the log: evaluation failures (a PV that cannot be read is undefined, a bad dynamic regex
 * does not match) at WARN, a function or route that failed at ERROR.
 */
final class EvalFailures {
    private static final Logger LOG = LoggerFactory.getLogger(EvalFailures.class);
    private static final LogThrottle THROTTLE = LogThrottle.perMinute();

    private EvalFailures() {}

    static void handled(String where, String what, RuntimeException e) {
        long more = THROTTLE.admit(where);
        if (more == LogThrottle.SUPPRESS) {
            LOG.debug("{}: {}: {}", where, what, e.toString());
            return;
        }
        LOG.warn("{}: {}{}: {}", where, what, LogThrottle.more(more), e.toString());
    }

    /** A call the script made failed (a module bug, a broken message): ERROR with the stack. */
    static void failed(Logger log, String where, String what, Throwable e) {
        long more = THROTTLE.admit(where);
        if (more == LogThrottle.SUPPRESS) {
            log.debug("{}: {} failed: {}", where, what, e.toString());
            return;
        }
        log.error("{}: {} failed{}: {}", where, what, LogThrottle.more(more), e.toString(), e);
    }
}
