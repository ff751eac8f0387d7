package dev.kemi.runtime.stats;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Kamailio's statistics of one proxy ({@code group:name}, e.g. {@code tm:UAS_transactions}):
 * counters that modules increment and gauges read on demand. {@code stats.*} RPCs, {@code $stat}
 * and the metrics exporter read them here.
 */
public final class Statistics {
    /** One statistic: a counter (resettable) or a gauge. */
    private record Entry(LongAdder counter, LongSupplier gauge) {
        long value() {
            return counter != null ? counter.sum() : gauge.getAsLong();
        }
    }

    private final ConcurrentMap<String, ConcurrentMap<String, Entry>> groups = new ConcurrentHashMap<>();

    /** The counter {@code group:name}, registered on first call; the same one afterwards. */
    public LongAdder counter(String group, String name) {
        Entry e = groups.computeIfAbsent(group, g -> new ConcurrentHashMap<>())
                .computeIfAbsent(name, n -> new Entry(new LongAdder(), null));
        if (e.counter == null) throw new IllegalArgumentException(group + ":" + name + " is a gauge");
        return e.counter;
    }

    /** A value read when asked (e.g. {@code usrloc:registered_users}). */
    public void gauge(String group, String name, LongSupplier value) {
        Entry old = groups.computeIfAbsent(group, g -> new ConcurrentHashMap<>()).putIfAbsent(name, new Entry(null, value));
        if (old != null) throw new IllegalArgumentException("statistic registered twice: " + group + ":" + name);
    }

    /** The value of {@code group:name}, or null if there is no such statistic. */
    public Long value(String group, String name) {
        Map<String, Entry> g = groups.get(group);
        Entry e = g == null ? null : g.get(name);
        return e == null ? null : e.value();
    }

    /** Resets a counter (gauges cannot be reset); false if there is no such counter. */
    public boolean reset(String group, String name) {
        Map<String, Entry> g = groups.get(group);
        Entry e = g == null ? null : g.get(name);
        if (e == null || e.counter == null) return false;
        e.counter.reset();
        return true;
    }

    /** Every statistic, group then name, sorted. */
    public Map<String, Map<String, Long>> snapshot() {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        groups.forEach((g, entries) -> {
            Map<String, Long> m = new TreeMap<>();
            entries.forEach((n, e) -> m.put(n, e.value()));
            out.put(g, m);
        });
        return out;
    }
}
