package dev.kemi.runtime.modules.xhttp_prom;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The metrics a cfg declares with modparam prom_counter / prom_gauge: each a name, up to three
 * label names, and one value per tuple of label values, created when first used and dropped
 * after xhttp_prom_timeout minutes without use (listing does not count as use), as xhttp_prom
 * keeps them. Printed in declaration order, label tuples in order of creation.
 */
final class UserMetrics {
    enum Type { COUNTER, GAUGE, HISTOGRAM }

    /** xhttp_prom's buckets when a histogram names none. */
    private static double[] defaultBuckets() {
        return new double[] {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    }

    private static final class Value {
        long count;
        double gauge;
        double sum;
        long[] buckets;
        long lastUse;
    }

    private record Metric(Type type, String name, List<String> labels, double[] buckets, Map<List<String>, Value> values) {}

    private final Map<String, Metric> metrics = new LinkedHashMap<>();
    private final LongSupplier clockMs;
    private long timeoutMs = 60 * 60_000L;

    UserMetrics(LongSupplier clockMs) {
        this.clockMs = clockMs;
    }

    void timeoutMinutes(int minutes) {
        if (minutes < 0) throw new IllegalArgumentException("xhttp_prom_timeout must not be negative: " + minutes);
        timeoutMs = minutes * 60_000L;
    }

    /** Declares a metric from "name=NAME; label=a:b:c" (label optional, at most three names; histograms: buckets=1:2.5:5). */
    synchronized void declare(Type type, String spec) {
        String name = null;
        List<String> labels = List.of();
        double[] buckets = type == Type.HISTOGRAM ? defaultBuckets() : null;
        for (String field : spec.split(";")) {
            String f = field.strip();
            if (f.isEmpty()) continue;
            int eq = f.indexOf('=');
            String key = (eq < 0 ? f : f.substring(0, eq)).strip();
            String body = eq < 0 ? "" : f.substring(eq + 1).strip();
            switch (key) {
                case "name" -> name = body;
                case "label" -> labels = labelNames(body);
                case "buckets" -> {
                    if (type != Type.HISTOGRAM) throw new IllegalArgumentException("unknown field 'buckets' in \"" + spec + "\"");
                    buckets = buckets(body);
                }
                default -> throw new IllegalArgumentException("unknown field '" + key + "' in \"" + spec + "\"");
            }
        }
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("no metric name in \"" + spec + "\"");
        if (metrics.containsKey(name)) throw new IllegalArgumentException("metric " + name + " declared twice");
        metrics.put(name, new Metric(type, name, labels, buckets, new LinkedHashMap<>()));
    }

    private static List<String> labelNames(String body) {
        List<String> names = List.of(body.split(":", -1));
        if (names.size() > 3) throw new IllegalArgumentException("at most three label names: " + body);
        for (String n : names) if (n.isEmpty()) throw new IllegalArgumentException("empty label name in " + body);
        return names;
    }

    /** Upper bounds separated by ':', at least one, each greater than the one before (+Inf is implied). */
    private static double[] buckets(String body) {
        String[] parts = body.split(":", -1);
        double[] b = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                b[i] = Double.parseDouble(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bucket '" + parts[i] + "' is not a number");
            }
            if (i > 0 && b[i] <= b[i - 1]) throw new IllegalArgumentException("buckets must increase: " + body);
        }
        return b;
    }

    /** Observes a value: every bucket whose bound is at least x, the count and the sum. */
    synchronized String histogramObserve(String name, double x, List<String> labelValues) {
        Object o = value(name, Type.HISTOGRAM, labelValues);
        if (o instanceof String err) return err;
        Value v = (Value) o;
        double[] bounds = metrics.get(name).buckets;
        if (v.buckets == null) v.buckets = new long[bounds.length];
        for (int i = 0; i < bounds.length; i++) if (x <= bounds[i]) v.buckets[i]++;
        v.count++;
        v.sum += x;
        return null;
    }

    /** Adds to a counter; null, or why not (unknown name, another type, wrong label count). */
    synchronized String counterInc(String name, long n, List<String> labelValues) {
        Object v = value(name, Type.COUNTER, labelValues);
        if (v instanceof String err) return err;
        ((Value) v).count += n;
        return null;
    }

    synchronized String counterReset(String name, List<String> labelValues) {
        Object v = value(name, Type.COUNTER, labelValues);
        if (v instanceof String err) return err;
        ((Value) v).count = 0;
        return null;
    }

    synchronized String gaugeSet(String name, double x, List<String> labelValues) {
        Object v = value(name, Type.GAUGE, labelValues);
        if (v instanceof String err) return err;
        ((Value) v).gauge = x;
        return null;
    }

    /** The value for these labels, created at first use, or an error text. */
    private Object value(String name, Type type, List<String> labelValues) {
        long now = clockMs.getAsLong();
        expire(now);
        Metric m = metrics.get(name);
        if (m == null) return "no metric declared with name " + name;
        if (m.type != type) return "metric " + name + " is not a " + type.name().toLowerCase(Locale.ROOT);
        if (labelValues.size() != m.labels.size()) {
            return "metric " + name + " has " + m.labels.size() + " labels, given " + labelValues.size();
        }
        for (String l : labelValues) if (l == null || l.isEmpty()) return "empty label value for metric " + name;
        Value v = m.values.computeIfAbsent(List.copyOf(labelValues), k -> new Value());
        v.lastUse = now;
        return v;
    }

    private void expire(long now) {
        if (timeoutMs == 0) return;
        for (Metric m : metrics.values()) m.values.values().removeIf(v -> now - v.lastUse > timeoutMs);
    }

    /** xhttp_prom's block: "# User defined metrics" (or "# NO User defined metrics") and one line per value. */
    synchronized void print(StringBuilder out, String prefix, long timestamp) {
        expire(clockMs.getAsLong());
        out.append(metrics.isEmpty() ? "# NO User defined metrics\n" : "# User defined metrics\n");
        for (Metric m : metrics.values()) {
            m.values.forEach((labelValues, v) -> {
                if (m.type == Type.HISTOGRAM) {
                    histogram(out, prefix, m, labelValues, v, timestamp);
                    return;
                }
                out.append(prefix).append(m.name);
                labels(out, m.labels, labelValues);
                out.append(' ');
                if (m.type == Type.COUNTER) out.append(Long.toUnsignedString(v.count));
                else out.append(String.format(Locale.ROOT, "%f", v.gauge));
                out.append(' ').append(timestamp).append('\n');
            });
        }
    }

    private static void histogram(StringBuilder out, String prefix, Metric m, List<String> labelValues, Value v, long timestamp) {
        for (int i = 0; i <= m.buckets.length; i++) {
            out.append(prefix).append(m.name).append("_bucket{");
            for (int j = 0; j < m.labels.size(); j++) {
                out.append(m.labels.get(j)).append("=\"").append(escape(labelValues.get(j))).append("\", ");
            }
            String le = i < m.buckets.length ? String.format(Locale.ROOT, "%f", m.buckets[i]) : "+Inf";
            long n = i < m.buckets.length ? (v.buckets == null ? 0 : v.buckets[i]) : v.count;
            out.append("le=\"").append(le).append("\"} ").append(n).append(' ').append(timestamp).append('\n');
        }
        out.append(prefix).append(m.name).append("_sum");
        labels(out, m.labels, labelValues);
        out.append(' ').append(String.format(Locale.ROOT, "%f", v.sum)).append(' ').append(timestamp).append('\n');
        out.append(prefix).append(m.name).append("_count");
        labels(out, m.labels, labelValues);
        out.append(' ').append(v.count).append(' ').append(timestamp).append('\n');
    }

    private static void labels(StringBuilder out, List<String> names, List<String> values) {
        if (names.isEmpty()) return;
        out.append('{');
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) out.append(", ");
            out.append(names.get(i)).append("=\"").append(escape(values.get(i))).append('"');
        }
        out.append('}');
    }

    /** Prometheus' label value escapes (xhttp_prom prints values raw, so a quote would break the scrape). */
    private static String escape(String v) {
        StringBuilder b = new StringBuilder(v.length());
        for (char c : v.toCharArray()) {
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
