package dev.kemi.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogThrottleTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final LogThrottle throttle = new LogThrottle(2, Duration.ofSeconds(10), now::get);

    @Test
    void admitsNPerKeyPerIntervalAndCountsTheRest() {
        assertEquals(0, throttle.admit("a"));
        assertEquals(0, throttle.admit("a"));
        assertEquals(LogThrottle.SUPPRESS, throttle.admit("a"));
        assertEquals(LogThrottle.SUPPRESS, throttle.admit("a"));
        assertEquals(LogThrottle.SUPPRESS, throttle.admit("a"));
        now.addAndGet(Duration.ofSeconds(9).toNanos());
        assertEquals(LogThrottle.SUPPRESS, throttle.admit("a"), "still within the interval");
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertEquals(4, throttle.admit("a"), "the first line of the next interval says how many were left out");
        assertEquals(0, throttle.admit("a"));
        assertEquals(LogThrottle.SUPPRESS, throttle.admit("a"));
    }

    @Test
    void keysAreIndependent() {
        throttle.admit("a");
        throttle.admit("a");
        assertEquals(LogThrottle.SUPPRESS, throttle.admit("a"));
        assertEquals(0, throttle.admit("b"));
    }

    @Test
    void aQuietKeyStartsAFreshInterval() {
        throttle.admit("a");
        now.addAndGet(Duration.ofHours(1).toNanos());
        assertEquals(0, throttle.admit("a"));
        assertEquals(0, throttle.admit("a"));
        assertEquals(LogThrottle.SUPPRESS, throttle.admit("a"));
    }

    @Test
    void moreSaysHowMany() {
        assertEquals("", LogThrottle.more(0));
        assertEquals(" (3 more suppressed since)", LogThrottle.more(3));
    }
}
