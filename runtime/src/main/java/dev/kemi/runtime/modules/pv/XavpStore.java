package dev.kemi.runtime.modules.pv;

import dev.kemi.runtime.core.MessageContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * $xavp(root[i]=>field[j]) values of one message: per root name a stack of entries, newest
 * first; an entry is either a plain value or a {@link Fields} list (what sql_xquery adds, one per row).
 */
public final class XavpStore {
    private final Map<String, List<Object>> roots = new HashMap<>();

    /** The fields of one xavp: per field name its values, newest first. */
    public static final class Fields {
        private final Map<String, List<Object>> fields = new LinkedHashMap<>();

        public void add(String name, Object value) {
            fields.computeIfAbsent(name, k -> new ArrayList<>(1)).addFirst(value);
        }

        Object get(String name, int index) {
            return at(fields.get(name), index);
        }

        void remove(String name) {
            fields.remove(name);
        }
    }

    public static XavpStore of(MessageContext ctx) {
        return ctx.attachment(XavpStore.class, XavpStore::new);
    }

    /** Adds an entry on top of the root's stack (index 0). */
    public synchronized void add(String root, Object entry) {
        roots.computeIfAbsent(root, k -> new ArrayList<>(2)).addFirst(entry);
    }

    /** root[index] as a value: a plain value, or Kamailio's {@code <<xavp:...>>} marker for a field list. */
    synchronized Object get(String root, int index) {
        Object e = at(roots.get(root), index);
        return e instanceof Fields ? "<<xavp:" + Integer.toHexString(System.identityHashCode(e)) + ">>" : e;
    }

    synchronized Object get(String root, int index, String field, int fieldIndex) {
        return at(roots.get(root), index) instanceof Fields f ? f.get(field, fieldIndex) : null;
    }

    synchronized void set(String root, Object value) {
        if (value == null) roots.remove(root);
        else add(root, value);
    }

    /** $xavp(root[i]=>field) = value: adds the field to root[i] (a new root when there is none); $null removes it. */
    synchronized void set(String root, int index, String field, Object value) {
        Object e = at(roots.get(root), index);
        if (value == null) {
            if (e instanceof Fields f) f.remove(field);
            return;
        }
        if (e instanceof Fields f) {
            f.add(field, value);
        } else if (e == null && index == 0) {
            Fields f = new Fields();
            f.add(field, value);
            add(root, f);
        }
    }

    private static Object at(List<Object> l, int index) {
        if (l == null) return null;
        int i = index < 0 ? l.size() + index : index;
        return i < 0 || i >= l.size() ? null : l.get(i);
    }
}
