package dev.kemi.runtime.modules.htable;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import com.google.re2j.Pattern;

/**
 * One named table of the htable module: items of Integer or String values with an optional
 * expiry (seconds, as autoexpire). Expired items read as absent before the timer removes them.
 */
final class HashTable {
    /** A value and its expiry time in ms (0 = never). */
    record Cell(Object value, long expires) {}

    final String name;
    final int autoexpire;
    final Integer initval;
    final boolean updateexpire;
    final int slots;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, Cell> items = new ConcurrentHashMap<>();

    HashTable(String name, int size, int autoexpire, Integer initval, boolean updateexpire, LongSupplier clock) {
        this.name = name;
        this.slots = size <= 1 ? 8 : size > 31 ? 1 << 14 : 1 << Math.min(size, 14);
        this.autoexpire = autoexpire;
        this.initval = initval;
        this.updateexpire = updateexpire;
        this.clock = clock;
    }

    private long newExpiry() {
        return autoexpire > 0 ? clock.getAsLong() + autoexpire * 1000L : 0;
    }

    private boolean live(Cell c) {
        return c != null && (c.expires == 0 || c.expires >= clock.getAsLong());
    }

    /** The live cell, or null. */
    Cell cell(String key) {
        Cell c = items.get(key);
        return live(c) ? c : null;
    }

    /** The value; a missing item reads as initval when the table has one. */
    Object get(String key) {
        Cell c = cell(key);
        return c != null ? c.value : initval;
    }

    /** Sets (null deletes); an existing item keeps its expiry unless updateexpire. */
    void set(String key, Object value) {
        if (value == null) {
            items.remove(key);
            return;
        }
        items.compute(key, (k, old) -> new Cell(value, live(old) && !updateexpire ? old.expires : newExpiry()));
    }

    /** Adds delta to an int item (missing/expired starts at initval, else 0); null for a string item. */
    Integer add(String key, int delta) {
        Cell r = items.compute(key, (k, old) -> {
            if (!live(old)) return new Cell((initval != null ? initval : 0) + delta, newExpiry());
            if (!(old.value instanceof Integer n)) return old;
            return new Cell(n + delta, updateexpire ? newExpiry() : old.expires);
        });
        return r.value instanceof Integer n ? n : null;
    }

    /** Seconds until the item expires, 0 for never or missing. */
    int expiresIn(String key) {
        Cell c = cell(key);
        if (c == null || c.expires == 0) return 0;
        return (int) Math.max(0, (c.expires - clock.getAsLong()) / 1000);
    }

    /** Sets the expiry of an existing item (0 = never). */
    void setExpiry(String key, int seconds) {
        items.computeIfPresent(key, (k, old) -> live(old) ? new Cell(old.value, seconds > 0 ? clock.getAsLong() + seconds * 1000L : 0) : null);
    }

    boolean remove(String key) {
        return items.remove(key) != null;
    }

    /** Removes items whose name (or string value) matches. */
    void removeMatching(Pattern re, boolean byValue) {
        items.entrySet().removeIf(e -> byValue
                ? e.getValue().value instanceof String s && re.matcher(s).find()
                : re.matcher(e.getKey()).find());
    }

    /**
     * sht_match_name / sht_match_str_value (ht_match_cell_op_str): whether any item's name (or
     * string value) is "eq", "ne", starts with ("sw") or matches ("re") the given string.
     */
    boolean anyMatches(String op, String arg, boolean byValue) {
        java.util.function.Predicate<String> test = switch (op) {
            case "eq" -> arg::equals;
            case "ne" -> t -> !t.equals(arg);
            case "sw" -> t -> t.startsWith(arg);
            case "re" -> { Pattern re = dev.kemi.runtime.modules.PosixRegex.compile(arg, Pattern.CASE_INSENSITIVE | Pattern.MULTILINE); yield t -> re.matcher(t).find(); }
            default -> throw new IllegalArgumentException("unsupported match operator: " + op);
        };
        // as ht_match_cell_op_str: expired items the timer has not removed yet still match
        for (Map.Entry<String, Cell> e : items.entrySet()) {
            String t = byValue ? (e.getValue().value instanceof String s ? s : null) : e.getKey();
            if (t != null && test.test(t)) return true;
        }
        return false;
    }

    /**
     * $shtcn / $shtcv (ht_count_cells_re): "~~re" (also a bare re), "~%suffix", "%~prefix",
     * "==string", "eqN" (values only), "**" (all items).
     */
    int count(String expr, boolean byValue) {
        if (expr.equals("**") || expr.startsWith("**")) return snapshot().size();
        String op = expr.length() >= 2 ? expr.substring(0, 2) : "";
        String arg = expr.length() > 2 ? expr.substring(2) : "";
        if (!op.equals("~~") && !op.equals("~%") && !op.equals("%~") && !op.equals("==") && !op.equals("eq")) {
            op = "~~";
            arg = expr;
        } else if (arg.isEmpty()) {
            return 0;
        }
        if (op.equals("eq")) {
            if (!byValue) return 0;
            int n;
            try {
                n = Integer.parseInt(arg.trim());
            } catch (NumberFormatException e) {
                n = 0;
            }
            int want = n;
            return (int) snapshot().values().stream().filter(c -> c.value instanceof Integer i && i == want).count();
        }
        java.util.function.Predicate<String> test = switch (op) {
            case "~%" -> { String a = arg; yield t -> t.endsWith(a); }
            case "%~" -> { String a = arg; yield t -> t.startsWith(a); }
            case "==" -> arg::equals;
            default -> { Pattern re = dev.kemi.runtime.modules.PosixRegex.compile(arg, Pattern.CASE_INSENSITIVE | Pattern.MULTILINE); yield t -> re.matcher(t).find(); }
        };
        int n = 0;
        for (Map.Entry<String, Cell> e : snapshot().entrySet()) {
            String t = byValue ? (e.getValue().value instanceof String s ? s : null) : e.getKey();
            if (t != null && test.test(t)) n++;
        }
        return n;
    }

    void reset() {
        items.clear();
    }

    /** The timer's sweep: drops expired items. */
    void expire() {
        long now = clock.getAsLong();
        items.values().removeIf(c -> c.expires != 0 && c.expires < now);
    }

    /** Live items, for the dump RPC. */
    Map<String, Cell> snapshot() {
        Map<String, Cell> out = new java.util.TreeMap<>();
        items.forEach((k, c) -> {
            if (live(c)) out.put(k, c);
        });
        return out;
    }

    /** The slot Kamailio's dump groups an item in (our own hash, not Kamailio's core_hash). */
    int slotOf(String key) {
        return (key.hashCode() & 0x7fffffff) % slots;
    }
}
