package dev.kemi.api;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Decides which occurrences of a repeated failure get logged: at most {@code perInterval} per key
 * (a place: "tm: building a reply", a cfg file:line, an RPC method) per interval, counting the
 * ones left out so that the next logged line can say how many there were. A failure that comes
 * with every message must not flood the log, nor hide that it keeps happening. No logging of its
 * own: the runtime, the engine and transport each log through it.
 */
public final class LogThrottle {
    /** {@link #admit} result: leave this occurrence out (or log it at debug level). */
    public static final long SUPPRESS = -1;
    private static final int MAX_KEYS = 10_000;

    private static final class Slot {
        long windowStart;
        int admitted;
        long suppressed;
    }

    private final int perInterval;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();

    public LogThrottle(int perInterval, Duration interval) {
        this(perInterval, interval, System::nanoTime);
    }

    /** With a clock of the caller's (tests). */
    public LogThrottle(int perInterval, Duration interval, LongSupplier nanoClock) {
        if (perInterval < 1) throw new IllegalArgumentException("perInterval must be at least 1");
        this.perInterval = perInterval;
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
    }

    /** One line a minute per key. */
    public static LogThrottle perMinute() {
        return new LogThrottle(1, Duration.ofMinutes(1));
    }

    /**
     * @return {@link #SUPPRESS} when this occurrence is over the limit, else how many occurrences
     *     of the key were suppressed since the last admitted one
     */
    public long admit(String key) {
        // bounded: keys built from traffic (sources, names) must not grow without end
        if (slots.size() >= MAX_KEYS && !slots.containsKey(key)) slots.clear();
        Slot s = slots.computeIfAbsent(key, k -> new Slot());
        long now = nanoClock.getAsLong();
        synchronized (s) {
            if (s.admitted == 0 || now - s.windowStart >= intervalNanos) {
                s.windowStart = now;
                s.admitted = 0;
            }
            if (s.admitted >= perInterval) {
                s.suppressed++;
                return SUPPRESS;
            }
            s.admitted++;
            long n = s.suppressed;
            s.suppressed = 0;
            return n;
        }
    }

    /** " (N more in the last interval)" for a logged line, or "" when none were suppressed. */
    public static String more(long suppressed) {
        return suppressed > 0 ? " (" + suppressed + " more suppressed since)" : "";
    }
}
