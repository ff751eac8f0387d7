package dev.kemi.runtime.sip;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits comma-separated header values (RFC 3261 §7.3.1) where commas inside quoted strings and
 * inside &lt;...&gt; do not split, and undoes line folding.
 */
final class ValueLists {
    private ValueLists() {}

    /** [start, end) pairs (trimmed, possibly empty) of every element of b[from,to). */
    static int[] ranges(byte[] b, int from, int to) {
        return ranges(b, from, to, Integer.MAX_VALUE);
    }

    /** The same for the first {@code max} elements only (the top Via needs one). */
    static int[] ranges(byte[] b, int from, int to, int max) {
        int[] out = new int[max == 1 ? 2 : 4];
        int n = 0;
        int depth = 0;
        boolean quoted = false;
        int seg = from;
        for (int i = from; i <= to; i++) {
            int c = i == to ? ',' : b[i];
            if (quoted && i < to) {
                if (c == '\\' && i + 1 < to) i++;
                else if (c == '"') quoted = false;
            } else if (c == '"') {
                quoted = true;
            } else if (c == '<') {
                depth++;
            } else if (c == '>') {
                if (depth > 0) depth--;
            } else if (c == ',' && (depth == 0 || i == to)) {
                if (n + 2 > out.length) out = java.util.Arrays.copyOf(out, out.length * 2);
                int s = seg, e = Math.min(i, to);
                while (s < e && Chars.isLws(b[s])) s++;
                while (e > s && Chars.isLws(b[e - 1])) e--;
                out[n++] = s;
                out[n++] = e;
                if (n == 2 * max) break;
                seg = i + 1;
            }
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    /** Splits a String value the same way; empty elements are dropped. */
    static List<String> split(String s) {
        List<String> out = new ArrayList<>(2);
        int depth = 0;
        boolean quoted = false;
        int seg = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '\\') i++;
                else if (c == '"') quoted = false;
            } else if (c == '"') {
                quoted = true;
            } else if (c == '<') {
                depth++;
            } else if (c == '>') {
                if (depth > 0) depth--;
            } else if (c == ',' && depth == 0) {
                addTrimmed(out, s, seg, i);
                seg = i + 1;
            }
        }
        addTrimmed(out, s, seg, s.length());
        return out;
    }

    private static void addTrimmed(List<String> out, String s, int from, int to) {
        from = Chars.skipLws(s, from, to);
        while (to > from && Chars.isLws(s.charAt(to - 1))) to--;
        if (to > from) out.add(s.substring(from, to));
    }

    /** b[from,to) as a String with each LWS containing a line break replaced by one SP. */
    static String unfolded(byte[] b, int from, int to) {
        boolean breaks = false;
        for (int i = from; i < to; i++) {
            if (b[i] == '\r' || b[i] == '\n') {
                breaks = true;
                break;
            }
        }
        if (!breaks) return Chars.str(b, from, to);
        byte[] out = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            int c = b[i];
            if (c == '\r' || c == '\n') {
                while (n > 0 && Chars.isWsp(out[n - 1])) n--;
                while (i + 1 < to && Chars.isLws(b[i + 1])) i++;
                out[n++] = ' ';
            } else {
                out[n++] = (byte) c;
            }
        }
        return Chars.str(out, 0, n);
    }
}
