package dev.kemi.runtime.modules.pv;

import dev.kemi.runtime.core.MessageContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One of Kamailio's per-message extended AVP lists (core/xavp.c): $xavp, $xavu (one item per
 * name) or $xavi (names case-insensitive). Items are kept newest first; an item holds a value
 * (Integer, String or null) or a list of child items, newest first too.
 */
public final class XavpStore {
    /** The three lists of a message, each made when first used (every transaction keeps its request's for the wait). */
    public static final class Lists {
        private XavpStore xavp, xavu, xavi;

        public XavpStore xavp() {
            return xavp != null ? xavp : (xavp = new XavpStore(false, false));
        }

        public XavpStore xavu() {
            return xavu != null ? xavu : (xavu = new XavpStore(false, true));
        }

        public XavpStore xavi() {
            return xavi != null ? xavi : (xavi = new XavpStore(true, false));
        }
    }

    public static Lists of(MessageContext ctx) {
        return ctx.attachment(Lists.class, Lists::new);
    }

    record Item(String name, Object value) {
        @SuppressWarnings("unchecked")
        List<Item> children() {
            return value instanceof List<?> l ? (List<Item>) l : null;
        }
    }

    private final List<Item> roots = new ArrayList<>();
    private final boolean ignoreCase;
    private final boolean unique;

    private XavpStore(boolean ignoreCase, boolean unique) {
        this.ignoreCase = ignoreCase;
        this.unique = unique;
    }

    private boolean named(Item i, String name) {
        return ignoreCase ? i.name().equalsIgnoreCase(name) : i.name().equals(name);
    }

    private Item first(List<Item> list, String name) {
        if (list == null) return null;
        for (Item i : list) if (named(i, name)) return i;
        return null;
    }

    private void removeFirst(List<Item> list, String name) {
        for (int k = 0; k < list.size(); k++) {
            if (named(list.get(k), name)) {
                list.remove(k);
                return;
            }
        }
    }

    private void put(List<Item> list, Item item) {
        // $xavu keeps one item per name: the new one replaces it
        if (unique) list.removeIf(i -> named(i, item.name()));
        list.addFirst(item);
    }

    /** xavp_add_value / xavu_set_xval: a new root value. */
    synchronized void add(String name, Object value) {
        put(roots, new Item(name, value));
    }

    /** xavp_set_child_xval: the child of the first root, which becomes a list if it was a value. */
    synchronized void setChild(String rname, String cname, Object value) {
        Item root = first(roots, rname);
        if (root == null || root.children() == null) {
            if (root != null) roots.remove(root);
            List<Item> children = new ArrayList<>(2);
            children.add(new Item(cname, value));
            roots.addFirst(new Item(rname, children));
            return;
        }
        removeFirst(root.children(), cname);
        root.children().addFirst(new Item(cname, value));
    }

    /** The index-th item named {@code name} (0 the newest, negative counts from the oldest), or null. */
    private Item nth(List<Item> list, String name, int index) {
        if (list == null) return null;
        List<Item> named = new ArrayList<>();
        for (Item i : list) if (named(i, name)) named.add(i);
        int k = index < 0 ? named.size() + index : index;
        return k < 0 || k >= named.size() ? null : named.get(k);
    }

    /** A new root whose children are these fields, in this order (one sql_xquery row). */
    public synchronized void addList(String rname, List<Map.Entry<String, Object>> fields) {
        List<Item> children = new ArrayList<>(fields.size());
        for (Map.Entry<String, Object> f : fields) children.add(new Item(f.getKey(), f.getValue()));
        roots.addFirst(new Item(rname, children));
    }

    /**
     * The fields of the first root of that name, newest first as Kamailio keeps them (values:
     * Integer, String, null, or a List for a nested xavp); null when there is no such root or it
     * holds a value, not fields.
     */
    public synchronized List<Map.Entry<String, Object>> fields(String rname) {
        Item root = first(roots, rname);
        if (root == null || root.children() == null) return null;
        List<Map.Entry<String, Object>> out = new ArrayList<>(root.children().size());
        for (Item c : root.children()) out.add(new java.util.AbstractMap.SimpleImmutableEntry<>(c.name(), c.value()));
        return out;
    }

    /**
     * A new root holding these fields, placed at {@code position} among all roots (0 = newest):
     * xavp_add_value_after, as dispatcher adds its records after the one it added before.
     */
    public synchronized void insertList(String rname, int position, List<Map.Entry<String, Object>> fields) {
        List<Item> children = new ArrayList<>(fields.size());
        for (Map.Entry<String, Object> f : fields) children.add(new Item(f.getKey(), f.getValue()));
        roots.add(Math.min(position, roots.size()), new Item(rname, children));
    }

    /** The child of the first root named rname, when that root is a list (null otherwise or when absent). */
    public synchronized Object listChild(String rname, String cname) {
        Item root = first(roots, rname);
        if (root == null || root.children() == null) return null;
        Item c = first(root.children(), cname);
        return c == null || c.children() != null ? null : c.value();
    }

    /** Whether the first root named rname exists and holds a list. */
    public synchronized boolean firstIsList(String rname) {
        Item root = first(roots, rname);
        return root != null && root.children() != null;
    }

    /** The fields of every root named rname that holds a list, oldest last (tm's contact_flows_avp walk). */
    public synchronized List<List<Map.Entry<String, Object>>> listsNamed(String rname) {
        List<List<Map.Entry<String, Object>>> out = new ArrayList<>();
        for (Item root : roots) {
            if (!named(root, rname) || root.children() == null) continue;
            List<Map.Entry<String, Object>> f = new ArrayList<>(root.children().size());
            for (Item c : root.children()) f.add(new java.util.AbstractMap.SimpleImmutableEntry<>(c.name(), c.value()));
            out.add(f);
        }
        return out;
    }

    /** Removes the k-th list root named rname, counting as {@link #listsNamed} does. */
    public synchronized void removeListAt(String rname, int k) {
        int n = 0;
        for (int i = 0; i < roots.size(); i++) {
            Item root = roots.get(i);
            if (!named(root, rname) || root.children() == null) continue;
            if (n++ == k) {
                roots.remove(i);
                return;
            }
        }
    }

    /** Removes every root named rname (xavp_rm_by_name with all). */
    public synchronized void removeAll(String rname) {
        roots.removeIf(i -> named(i, rname));
    }

    /** Removes the first root named rname (xavp_rm of the first). */
    public synchronized void removeFirst(String rname) {
        removeFirst(roots, rname);
    }

    /** The first root's value: Integer, String, null, or Kamailio's "<<xavp:...>>" for a list. */
    synchronized Object get(String rname) {
        return shown(first(roots, rname));
    }

    synchronized Object child(String rname, String cname) {
        Item root = first(roots, rname);
        return root == null ? null : shown(first(root.children(), cname));
    }

    private static Object shown(Item i) {
        if (i == null) return null;
        if (i.children() != null) return "<<xavp:" + Integer.toHexString(System.identityHashCode(i.children())) + ">>";
        return i.value();
    }

    synchronized boolean isNull(String rname) {
        Item i = first(roots, rname);
        return i == null || i.value() == null;
    }

    synchronized boolean childIsNull(String rname, String cname) {
        Item root = first(roots, rname);
        Item c = root == null ? null : first(root.children(), cname);
        return c == null || c.value() == null;
    }

    /** xavp_rm_by_index(name, 0); $xavu: every item of the name (it has one). */
    synchronized void remove(String rname) {
        if (unique) roots.removeIf(i -> named(i, rname));
        else removeFirst(roots, rname);
    }

    synchronized void removeChild(String rname, String cname) {
        Item root = first(roots, rname);
        if (root != null && root.children() != null) removeFirst(root.children(), cname);
    }

    /**
     * xavp_params_explode: "a=1;b" becomes a root whose children are a="1" and b="" (as
     * Kamailio adds them, the last parameter first). False for an empty list.
     */
    synchronized boolean explode(String params, String rname) {
        if (params == null || rname == null || params.isEmpty() || rname.isEmpty()) return false;
        String s = params.endsWith(";") ? params.substring(0, params.length() - 1) : params;
        List<Item> children = new ArrayList<>();
        for (String p : s.split(";")) {
            String t = p.strip();
            if (t.isEmpty()) continue;
            int eq = t.indexOf('=');
            String name = (eq < 0 ? t : t.substring(0, eq)).strip();
            String value = eq < 0 ? "" : unquote(t.substring(eq + 1).strip());
            children.addFirst(new Item(name, value));
        }
        if (children.isEmpty()) return false;
        put(roots, new Item(rname, children));
        return true;
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }

    /** Lines as pv_xavp_print logs them. */
    synchronized List<String> dump(String kind) {
        List<String> out = new ArrayList<>();
        for (Item i : roots) {
            out.add("$" + kind + "(" + i.name() + ") = " + (i.children() == null ? i.value() : "{"));
            if (i.children() != null) {
                for (Item c : i.children()) out.add("  " + c.name() + " = " + c.value());
                out.add("}");
            }
        }
        return out;
    }

    // ---- the $xavp(root[i]=>child[j]) pseudo-variable (pv_xavp.c)
    /** Value of root[ri], or of its child[ci] when cname is given. */
    synchronized Object read(String rname, int ri, String cname, int ci) {
        Item root = nth(roots, rname, ri);
        if (cname == null) return shown(root);
        return root == null ? null : shown(nth(root.children(), cname, ci));
    }

    /** root[ri]=>child[*]: every value of the child, joined by ", " as pv_get_xavp; null without any. */
    synchronized Object readAll(String rname, int ri, String cname) {
        Item root = nth(roots, rname, ri);
        if (root == null || root.children() == null) return null;
        List<String> vs = new ArrayList<>();
        for (Item c : root.children()) if (named(c, cname)) vs.add(String.valueOf(shown(c)));
        return vs.isEmpty() ? null : String.join(", ", vs);
    }

    /**
     * An assignment as pv_set_xavp: ri / ci are null where the name has no [index], {@link
     * dev.kemi.api.PvSpec#ALL} for [*]. Without a root index: a new root value, or a new root
     * holding the child; with one: root[ri] is replaced, or gets the child (child[ci] replaced
     * when ci is given). $null removes: the first item, root[ri], or every one with [*]. $xavu
     * keeps one item per name and has no indexes.
     */
    synchronized void write(String rname, Integer ri, String cname, Integer ci, Object value) {
        if (unique) {
            writeUnique(rname, cname, value);
            return;
        }
        int all = dev.kemi.api.PvSpec.ALL;
        if (value == null) {
            if (cname == null) {
                if (ri != null && ri == all) roots.removeIf(i -> named(i, rname));
                else if (ri == null || ri == 0) removeFirst(roots, rname);
                else roots.remove(byIndex(rname, setIndex(ri, count(rname))));
                return;
            }
            List<Item> targets = ri != null && ri == all ? roots.stream().filter(i -> named(i, rname)).toList()
                    : java.util.Collections.singletonList(ri == null || ri == 0 ? first(roots, rname) : byIndex(rname, setIndex(ri, count(rname))));
            for (Item root : targets) {
                List<Item> ch = root == null ? null : root.children();
                if (ch == null) continue;
                if (ci != null && ci == all) ch.removeIf(i -> named(i, cname));
                else if (ci != null) ch.remove(byIndex(ch, cname, setIndex(ci, count(ch, cname))));
                else removeFirst(ch, cname);
            }
            return;
        }
        if (cname == null) {
            if (ri == null) {
                put(roots, new Item(rname, value));
                return;
            }
            Item cur = ri == all ? null : byIndex(rname, setIndex(ri, count(rname)));
            if (cur == null) throw new IllegalArgumentException("no $xavp(" + rname + ") at that index to set");
            roots.set(roots.indexOf(cur), new Item(rname, value));
            return;
        }
        if (ri == null) {
            List<Item> children = new ArrayList<>(2);
            children.add(new Item(cname, value));
            put(roots, new Item(rname, children));
            return;
        }
        if (ri == all) return;
        Item root = ri == 0 ? first(roots, rname) : byIndex(rname, setIndex(ri, count(rname)));
        if (root == null) return;
        List<Item> ch = root.children();
        if (ch == null) throw new IllegalArgumentException("$xavp(" + rname + ") holds a value, not fields");
        if (ci == null) {
            ch.addFirst(new Item(cname, value));
        } else if (ci != all) {
            Item cur = byIndex(ch, cname, setIndex(ci, count(ch, cname)));
            if (cur != null) ch.set(ch.indexOf(cur), new Item(cname, value));
        }
    }

    /** pv_set_xavp's "fix the index" for a write: a negative one counts from past the end. */
    private static int setIndex(int i, int count) {
        return i < 0 ? count + i + 1 : i;
    }

    /** pv_set_xavu: one value per name, a root's or its child's. */
    private void writeUnique(String rname, String cname, Object value) {
        if (value == null) {
            Item root = first(roots, rname);
            if (root == null) return;
            if (cname == null) roots.remove(root);
            else if (root.children() != null) removeFirst(root.children(), cname);
            return;
        }
        if (cname == null) {
            put(roots, new Item(rname, value));
            return;
        }
        Item root = first(roots, rname);
        if (root == null || root.children() == null) {
            List<Item> children = new ArrayList<>(2);
            children.add(new Item(cname, value));
            put(roots, new Item(rname, children));
            return;
        }
        removeFirst(root.children(), cname);
        root.children().addFirst(new Item(cname, value));
    }

    // ---- KEMI dict / list views and copies (pv.c ki_xav_getd_helper, ki_xav_get_keys, xavp_copy)
    /** The index-th item (0 newest), or null; negative never matches, as xavp_get_by_index. */
    private Item byIndex(String name, int index) {
        return byIndex(roots, name, index);
    }

    private Item byIndex(List<Item> list, String name, int index) {
        return index < 0 ? null : nth(list, name, index);
    }

    private int count(String name) {
        return count(roots, name);
    }

    private int count(List<Item> list, String name) {
        int n = 0;
        for (Item i : list) if (named(i, name)) n++;
        return n;
    }

    /**
     * ki_xav_dict: field name (first seen first) to the list of its values, newest first; a
     * nested list becomes a dict. Null for an item that holds a value, not fields.
     */
    private Map<String, Object> dict(Item item) {
        if (item.children() == null) return null;
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        for (Item c : item.children()) {
            String key = null;
            for (String k : out.keySet()) if (ignoreCase ? k.equalsIgnoreCase(c.name()) : k.equals(c.name())) key = k;
            @SuppressWarnings("unchecked")
            List<Object> values = (List<Object>) out.computeIfAbsent(key == null ? c.name() : key, k -> new ArrayList<>());
            values.add(c.children() != null ? dict(c) : c.value());
        }
        return out;
    }

    /** xavp_getd: a list of the dicts of every item of the name (items holding a value are skipped), null when none. */
    synchronized List<Map<String, Object>> dicts(String rname) {
        List<Map<String, Object>> out = new ArrayList<>();
        boolean any = false;
        for (Item i : roots) {
            if (!named(i, rname)) continue;
            any = true;
            Map<String, Object> d = dict(i);
            if (d != null) out.add(d);
        }
        return any ? out : null;
    }

    /** xavp_getd_p1: the dict of item index (negative from the oldest), empty for a value item, null when absent. */
    synchronized Map<String, Object> dictAt(String rname, int index) {
        int k = index < 0 ? count(rname) + index : index;
        Item i = byIndex(rname, k);
        if (i == null) return null;
        Map<String, Object> d = dict(i);
        return d == null ? Map.of() : d;
    }

    /** xavp_get_keys: the distinct field names of item index, first seen first; null when absent. */
    synchronized List<String> keys(String rname, int index) {
        Item i = byIndex(rname, index);
        if (i == null) return null;
        Map<String, Object> d = dict(i);
        return d == null ? List.of() : new ArrayList<>(d.keySet());
    }

    /** xavp_serialize_fields: "name=value;" of the first item's int and string fields ("name;" for ""). */
    synchronized String serializeFields(String rname) {
        Item root = first(roots, rname);
        if (root == null || root.children() == null) return "";
        StringBuilder out = new StringBuilder();
        for (Item c : root.children()) {
            if (c.value() instanceof Integer n) out.append(c.name()).append('=').append(Integer.toUnsignedString(n)).append(';');
            else if (c.value() instanceof String v) out.append(c.name()).append(v.isEmpty() ? "" : "=" + v).append(';');
        }
        return out.toString();
    }

    /** xavp_slist_explode: a new item whose "v" fields are the tokens in order; mode "t..." trims them. */
    synchronized void slistExplode(String slist, String sep, String mode, String rname) {
        List<Item> children = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= slist.length(); i++) {
            if (i < slist.length() && sep.indexOf(slist.charAt(i)) < 0) continue;
            String token = slist.substring(start, i);
            if (!token.isEmpty() && mode.startsWith("t")) token = token.strip();
            if (!token.isEmpty()) children.add(new Item("v", token));
            start = i + 1;
        }
        put(roots, new Item(rname, children));
    }

    private static Item copy(Item i, String name) {
        if (i.children() == null) return new Item(name, i.value());
        List<Item> children = new ArrayList<>(i.children().size());
        for (Item c : i.children()) children.add(copy(c, c.name()));
        return new Item(name, children);
    }

    /**
     * xavp_copy: a copy of src[index] named dst, the newest dst when there is none, else added
     * after the oldest (xavp_add_last). False when the source is absent.
     */
    synchronized boolean copy(String src, int index, String dst) {
        Item s = byIndex(src, index);
        if (s == null) return false;
        Item c = copy(s, dst);
        int last = -1;
        for (int k = 0; k < roots.size(); k++) if (named(roots.get(k), dst)) last = k;
        if (last < 0) roots.addFirst(c);
        else roots.add(last + 1, c);
        return true;
    }

    /** pv_var_to_xavp: replaces every item named rname by one holding these fields (none: no item). */
    synchronized void replaceWithFields(String rname, Map<String, Object> fields) {
        roots.removeIf(i -> named(i, rname));
        if (fields.isEmpty()) return;
        List<Item> children = new ArrayList<>(fields.size());
        for (Map.Entry<String, Object> f : fields.entrySet()) children.addFirst(new Item(f.getKey(), f.getValue()));
        roots.addFirst(new Item(rname, children));
    }

    /**
     * pv_xavp_to_var: the fields of every item named rname, each item's in list order (newest first, so the oldest of a name wins); null when the first item is absent, holds a value, or a field is neither int nor string.
     */
    synchronized List<Map.Entry<String, Object>> allFields(String rname) {
        Item first = first(roots, rname);
        if (first == null || first.children() == null) return null;
        List<Map.Entry<String, Object>> out = new ArrayList<>();
        for (Item i : roots) {
            if (!named(i, rname) || i.children() == null) continue;
            for (Item c : i.children()) {
                if (!(c.value() instanceof Integer) && !(c.value() instanceof String)) return null;
                out.add(new java.util.AbstractMap.SimpleImmutableEntry<>(c.name(), c.value()));
            }
        }
        return out;
    }
}
