package dev.kemi.runtime.modules.dispatcher;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The loaded destination sets: Kamailio's AVL tree of sets (ds_avl_insert, ported as is so the
 * sets come out of a walk in Kamailio's order). A reload builds a new one and swaps it in.
 */
final class DsList {
    private DsSet root;
    private int count;

    DsSet find(int id) {
        DsSet n = root;
        while (n != null && id != n.id) n = n.next[id > n.id ? 1 : 0];
        return n;
    }

    int count() {
        return count;
    }

    /** Adds a destination to its set (created when new). */
    void add(int setId, DsDest d) {
        insert(setId).add(d);
    }

    /**
     * A list being built from this one's destinations in Kamailio's walk order (ds_iter_set), each
     * re-packed with its current flags and call load, leaving out {@code uri} of set {@code skipSet}.
     * Like Kamailio this reverses the order of equal-priority destinations on every rebuild.
     */
    DsList copy(DsLoader loader, Integer skipSet, String skipUri) {
        DsList out = new DsList();
        for (DsSet s : sets()) {
            for (DsDest d : s.dests) {
                if (skipSet != null && s.id == skipSet && d.uri.equals(skipUri)) continue;
                int flags, load;
                synchronized (s) {
                    flags = d.flags;
                    load = d.dload;
                }
                DsDest c = loader.pack(d.uri, flags, d.priority, d.attrs.body());
                if (c == null) continue;
                c.dload = load;
                out.add(s.id, c);
            }
        }
        return out;
    }

    /** Finishes loading: each set's array and weight tables. */
    DsList build(RandomGenerator rnd) {
        for (DsSet s : sets()) s.reindex(rnd);
        return this;
    }

    /** The sets in Kamailio's walk order (both subtrees, then the node). */
    List<DsSet> sets() {
        List<DsSet> out = new ArrayList<>();
        walk(root, out);
        return out;
    }

    private static void walk(DsSet n, List<DsSet> out) {
        if (n == null) return;
        walk(n.next[0], out);
        walk(n.next[1], out);
        out.add(n);
    }

    // ---- ds_avl_insert and its rebalancing, as in dispatch.c
    private interface Slot {
        DsSet get();

        void set(DsSet s);
    }

    private Slot rootSlot() {
        return new Slot() {
            public DsSet get() { return root; }

            public void set(DsSet s) { root = s; }
        };
    }

    private static Slot childSlot(DsSet parent, int dir) {
        return new Slot() {
            public DsSet get() { return parent.next[dir]; }

            public void set(DsSet s) { parent.next[dir] = s; }
        };
    }

    private DsSet insert(int id) {
        Slot slot = rootSlot();
        Slot rotationTop = slot;
        DsSet node = slot.get();
        while (node != null && id != node.id) {
            int step = id > node.id ? 1 : 0;
            if (node.longer >= 0) rotationTop = slot;
            slot = childSlot(node, step);
            node = slot.get();
        }
        if (node == null) {
            node = new DsSet(id);
            slot.set(node);
            rebalance(rotationTop, id);
            count++;
        }
        return node;
    }

    private static void rebalancePath(DsSet path, int id) {
        while (path != null && id != path.id) {
            int step = id > path.id ? 1 : 0;
            path.longer = step;
            path = path.next[step];
        }
    }

    private static DsSet rotate2(Slot top, int dir) {
        DsSet b = top.get(), d = b.next[dir], c = d.next[1 - dir], e = d.next[dir];
        top.set(d);
        d.next[1 - dir] = b;
        b.next[dir] = c;
        b.longer = -1;
        d.longer = -1;
        return e;
    }

    private static DsSet rotate3(Slot top, int dir, int third) {
        DsSet b = top.get(), f = b.next[dir], d = f.next[1 - dir], c = d.next[1 - dir], e = d.next[dir];
        top.set(d);
        d.next[1 - dir] = b;
        d.next[dir] = f;
        b.next[dir] = c;
        f.next[1 - dir] = e;
        d.longer = -1;
        b.longer = f.longer = -1;
        if (third == -1) return null;
        if (third == dir) {
            b.longer = 1 - dir;
            return e;
        }
        f.longer = dir;
        return c;
    }

    private static void rebalance(Slot top, int id) {
        DsSet path = top.get();
        if (path.longer < 0) {
            rebalancePath(path, id);
            return;
        }
        int first = id > path.id ? 1 : 0;
        if (path.longer != first) {
            path.longer = -1;
            rebalancePath(path.next[first], id);
            return;
        }
        int second = id > path.next[first].id ? 1 : 0;
        if (first == second) {
            rebalancePath(rotate2(top, first), id);
            return;
        }
        path = path.next[first].next[second];
        int third = id == path.id ? -1 : id > path.id ? 1 : 0;
        rebalancePath(rotate3(top, first, third), id);
    }
}
