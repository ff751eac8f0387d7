package dev.kemi.engine.polyglot;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Script errors at one location (file:line) are logged at most once a minute at ERROR, with the
 * number left out since: a script failing on every message must not flood the log.
 */
final class ErrorThrottle {
    private static final long INTERVAL_NANOS = 60_000_000_000L;
    private static final int MAX_LOCATIONS = 10_000;

    private record Slot(AtomicLong next, AtomicLong suppressed) {}

    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();

    /** -1 when this occurrence is to be suppressed, else how many were suppressed before it. */
    long admit(String location) {
        if (slots.size() >= MAX_LOCATIONS) slots.clear();
        Slot s = slots.computeIfAbsent(location, l -> new Slot(new AtomicLong(Long.MIN_VALUE), new AtomicLong()));
        long now = System.nanoTime();
        long next = s.next.get();
        if ((next != Long.MIN_VALUE && now - next < 0) || !s.next.compareAndSet(next, now + INTERVAL_NANOS)) {
            s.suppressed.incrementAndGet();
            return -1;
        }
        return s.suppressed.getAndSet(0);
    }
}
