package dev.kemi.runtime.modules.pv;

import dev.kemi.runtime.core.MessageContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * $avp(name) values: a stack per name, newest first (index 0). Kept per message; tm attaches
 * the transaction's store to the messages of its routes (failure, branch, onreply), so AVPs set
 * in request_route are seen there. As in Kamailio, {@code s:x} is the string name {@code x};
 * {@code i:5} is an integer name of its own. Names are compared with case (Kamailio compares an
 * XOR hash of the name first, so it only ignores case where the hashes happen to collide).
 */
public final class AvpStore {
    private final Map<String, List<Object>> avps = new HashMap<>();

    /** The message's store (the transaction's when tm attached it), created on first use. */
    public static AvpStore of(MessageContext ctx) {
        return ctx.attachment(AvpStore.class, AvpStore::new);
    }

    /** Value at index (0 newest, negative from the oldest end), or null. */
    public synchronized Object get(String name, int index) {
        List<Object> l = avps.get(key(name));
        if (l == null) return null;
        int i = index < 0 ? l.size() + index : index;
        return i < 0 || i >= l.size() ? null : l.get(i);
    }

    /** All values, newest first. */
    public synchronized List<Object> all(String name) {
        List<Object> l = avps.get(key(name));
        return l == null ? List.of() : List.copyOf(l);
    }

    /** Adds a value on top. */
    public synchronized void add(String name, Object value) {
        avps.computeIfAbsent(key(name), k -> new ArrayList<>(2)).addFirst(value);
    }

    public synchronized void removeAll(String name) {
        avps.remove(key(name));
    }

    public synchronized void remove(String name, int index) {
        List<Object> l = avps.get(key(name));
        int i = l == null ? -1 : index < 0 ? l.size() + index : index;
        if (l != null && i >= 0 && i < l.size()) l.remove(i);
    }

    private static String key(String name) {
        return name.startsWith("s:") ? name.substring(2) : name;
    }
}
