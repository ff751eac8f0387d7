package dev.kemi.runtime.core;

import dev.kemi.runtime.sip.SipParseException;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failures a caller handles (it answers with its return code) but that name no expected cause:
 * a runtime exception out of a parser or a bug. Logged with their place, at WARN with the stack
 * once a minute per place, at DEBUG in between, so a flood of bad messages cannot flood the log.
 * A {@link SipParseException} is the expected malformed-input case and is not logged. JVM-wide,
 * as the log itself is; it holds no proxy state.
 */
public final class Failures {
    private static final Logger LOG = LoggerFactory.getLogger("dev.kemi.runtime.failures");
    private static final long INTERVAL_NANOS = 60_000_000_000L;
    private static final int MAX_PLACES = 1_000;
    private static final ConcurrentHashMap<String, Long> LAST = new ConcurrentHashMap<>();

    private Failures() {}

    /** @param where the module and operation, e.g. "sanity: R-URI check" */
    public static void handled(String where, Exception e) {
        if (e instanceof SipParseException) return;
        long now = System.nanoTime();
        Long last = LAST.get(where);
        if (last != null && now - last < INTERVAL_NANOS) {
            LOG.debug("{}: {}", where, e.toString());
            return;
        }
        if (LAST.size() >= MAX_PLACES) LAST.clear();
        LAST.put(where, now);
        LOG.warn("{} failed unexpectedly (handled as a failure; more within a minute at DEBUG): {}", where, e.toString(), e);
    }
}
