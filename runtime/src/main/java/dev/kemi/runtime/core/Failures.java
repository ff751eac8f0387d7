package dev.kemi.runtime.core;

import dev.kemi.runtime.sip.SipParseException;
import org.slf4j.LoggerFactory;

/**
 * Failures a caller handles (it answers with its return code) but that name no expected cause:
 * a runtime exception out of a parser or a bug. Logged with their place, at WARN with the stack
 * once a minute per place, at DEBUG in between, so a flood of bad messages cannot flood the log.
 * A {@link SipParseException} is the expected malformed-input case and is not logged. JVM-wide,
 * as the log itself is; it holds no proxy state.
 */
public final class Failures {
    private static final RateLimitedLog LOG = new RateLimitedLog(LoggerFactory.getLogger("dev.kemi.runtime.failures"));

    private Failures() {}

    /** @param where the module and operation, e.g. "sanity: R-URI check" */
    public static void handled(String where, Exception e) {
        if (e instanceof SipParseException) return;
        LOG.warn(where, where + " failed unexpectedly (handled as a failure): " + e, e);
    }
}
