package dev.kemi.runtime.modules.textopsx;

import java.util.ArrayList;
import java.util.List;

/** A header body as textopsx splits it: comma-separated values, commas inside quotes kept. */
final class HfValues {
    /** One value (trimmed) and its lump: [from, to) with the blanks before it and the comma after it. */
    record Value(String text, int from, int to) {}

    private HfValues() {}

    /** The values in order, as Kamailio's find_next_value walks them. */
    static List<Value> split(String body) {
        List<Value> out = new ArrayList<>();
        int p = 0;
        int end = body.length();
        do {
            int lump = p;
            boolean quoted = false;
            while (p < end && Character.isWhitespace(body.charAt(p))) p++;
            int vs = p;
            while (p < end && (body.charAt(p) != ',' || quoted)) {
                if (body.charAt(p) == '"' && (!quoted || body.charAt(p - 1) != '\\')) quoted = !quoted;
                p++;
            }
            String v = body.substring(vs, p).strip();
            if (p < end) p++; // the comma
            out.add(new Value(v, lump, p));
        } while (p < end);
        return out;
    }

    /**
     * The body without the values equal to {@code value} (case-insensitive); the last value takes
     * the comma before it along, as Kamailio's adjust_lump_val_for_delete. Null if none matched.
     */
    static String without(String body, String value) {
        StringBuilder b = new StringBuilder(body);
        boolean changed = false;
        List<Value> vs = split(body);
        for (int i = vs.size() - 1; i >= 0; i--) {
            Value v = vs.get(i);
            if (!v.text().equalsIgnoreCase(value)) continue;
            int from = v.from();
            if (v.to() == body.length() && from > 0 && i == vs.size() - 1) from--;
            b.delete(from, v.to());
            changed = true;
        }
        return changed ? b.toString() : null;
    }
}
