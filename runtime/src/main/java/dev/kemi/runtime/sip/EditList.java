package dev.kemi.runtime.sip;

import java.util.Arrays;

/**
 * Changes to a received message as byte-range edits over the original buffer (Kamailio's
 * lumps): insert text before an offset, delete a range, or replace a range. Applying them copies
 * every untouched byte as received.
 *
 * <p>Order at the same offset: insertions before deletions/replacements, otherwise the order in
 * which edits were made. An edit starting inside a range already deleted is dropped, so a
 * removed header also loses the edits made inside it.
 */
final class EditList {
    private int[] from = new int[4];
    private int[] to = new int[4];
    private byte[][] text = new byte[4][];
    private int size;

    EditList copy() {
        EditList c = new EditList();
        c.from = from.clone();
        c.to = to.clone();
        c.text = text.clone();
        c.size = size;
        return c;
    }

    int size() {
        return size;
    }

    void insert(int at, byte[] bytes) {
        add(at, at, bytes);
    }

    void delete(int start, int end) {
        add(start, end, null);
    }

    void replace(int start, int end, byte[] bytes) {
        add(start, end, bytes);
    }

    void add(int start, int end, byte[] bytes) {
        if (size == from.length) {
            from = Arrays.copyOf(from, size * 2);
            to = Arrays.copyOf(to, size * 2);
            text = Arrays.copyOf(text, size * 2);
        }
        from[size] = start;
        to[size] = end;
        text[size] = bytes;
        size++;
    }

    /** The bytes of buf[start,end) with every edit applied. */
    byte[] apply(byte[] buf, int start, int end) {
        int[] order = sortedOrder();
        int length = 0;
        int cursor = start;
        // first pass: size; second pass: copy
        for (int pass = 0; pass < 2; pass++) {
            byte[] out = pass == 0 ? null : new byte[length];
            int w = 0;
            cursor = start;
            for (int k = 0; k < size; k++) {
                int i = order[k];
                int f = from[i];
                int t = to[i];
                if (f < cursor) {
                    // starts inside a range already deleted or replaced
                    if (t <= cursor || f == t) continue;
                    f = cursor;
                }
                if (pass == 0) {
                    length += f - cursor;
                } else {
                    System.arraycopy(buf, cursor, out, w, f - cursor);
                    w += f - cursor;
                }
                if (text[i] != null) {
                    if (pass == 0) {
                        length += text[i].length;
                    } else {
                        System.arraycopy(text[i], 0, out, w, text[i].length);
                        w += text[i].length;
                    }
                }
                cursor = Math.max(f, t);
            }
            if (pass == 0) {
                length += end - cursor;
            } else {
                System.arraycopy(buf, cursor, out, w, end - cursor);
                return out;
            }
        }
        throw new AssertionError();
    }

    /** Indexes sorted by offset; at equal offsets insertions first, then in the order made. */
    private int[] sortedOrder() {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) order[i] = i;
        // insertion sort: lists are short and mostly in order already
        for (int i = 1; i < size; i++) {
            int x = order[i];
            int j = i - 1;
            while (j >= 0 && after(order[j], x)) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = x;
        }
        return order;
    }

    private boolean after(int a, int b) {
        if (from[a] != from[b]) return from[a] > from[b];
        boolean insA = from[a] == to[a];
        boolean insB = from[b] == to[b];
        if (insA != insB) return insB;
        return a > b;
    }
}
