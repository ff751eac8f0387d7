package dev.kemi.runtime.modules.dispatcher;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One destination set (ds_set_t), also a node of the AVL tree Kamailio keeps the sets in: the
 * tree's shape gives the order dispatcher.list and the keepalives walk the sets in. Selection
 * state (round-robin position, weight tables) and the destinations' flags change under this
 * object's lock.
 */
final class DsSet {
    final int id;
    /** Highest priority first; equal priorities in reverse load order (Kamailio's reindex). */
    DsDest[] dests;
    int last, wlast, rwlast;
    final int[] wlist = new int[100];
    final int[] rwlist = new int[100];
    // AVL links: next[0] lower ids, next[1] higher; longer -1 balanced
    final DsSet[] next = new DsSet[2];
    int longer = -1;
    /** While loading: the destinations in ascending priority, stable. */
    final List<DsDest> loading = new ArrayList<>();

    DsSet(int id) {
        this.id = id;
    }

    int size() {
        return dests.length;
    }

    /** add_dest2list: after every destination of lower or equal priority. */
    void add(DsDest d) {
        int i = 0;
        while (i < loading.size() && loading.get(i).priority <= d.priority) i++;
        loading.add(i, d);
    }

    /** reindex_dests: the array is the loading list backwards; then the weight tables. */
    void reindex(RandomGenerator rnd) {
        dests = new DsDest[loading.size()];
        for (int j = 0; j < dests.length; j++) dests[dests.length - 1 - j] = loading.get(j);
        loading.clear();
        initWeights(rnd);
        initRelativeWeights(rnd);
    }

    /** dp_init_weights: each destination's index weight times in 100 slots, shuffled; none when the first has no weight. */
    private void initWeights(RandomGenerator rnd) {
        if (dests.length == 0 || dests[0].attrs.weight() == 0) return;
        int t = 0;
        fill:
        for (int j = 0; j < dests.length; j++) {
            for (int k = 0; k < dests[j].attrs.weight(); k++) {
                if (t >= 100) break fill;
                wlist[t++] = j;
            }
        }
        for (; t < 100; t++) wlist[t] = dests.length - 1;
        shuffle(wlist, rnd);
    }

    /** dp_init_relative_weights: slots shared among the active destinations by rweight (set lock held or building). */
    void initRelativeWeights(RandomGenerator rnd) {
        if (dests.length < 2) return;
        int sum = 0;
        for (DsDest d : dests) if (!DsDest.skip(d.flags)) sum += d.attrs.rweight();
        if (sum == 0) return;
        int t = 0;
        for (int j = 0; j < dests.length; j++) {
            if (DsDest.skip(dests[j].flags)) continue;
            int slice = dests[j].attrs.rweight() * 100 / sum;
            for (int k = 0; k < slice; k++) rwlist[t++] = j;
        }
        int lastInsert = t > 0 ? rwlist[t - 1] : dests.length - 1;
        for (int j = t; j < 100; j++) rwlist[j] = lastInsert;
        shuffle(rwlist, rnd);
    }

    private static void shuffle(int[] arr, RandomGenerator rnd) {
        for (int j = 0; j < 100; j++) {
            int k = j + rnd.nextInt(100 - j);
            int t = arr[j];
            arr[j] = arr[k];
            arr[k] = t;
        }
    }

    DsDest byUri(String uri) {
        for (DsDest d : dests) if (d.uri.equalsIgnoreCase(uri)) return d;
        return null;
    }
}
