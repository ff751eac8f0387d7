package dev.kemi.runtime.modules.dialog;

import dev.kemi.runtime.modules.usrloc.CoreHash;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;

/** The dialog hash table: h_entry from Kamailio's core_hash of the Call-ID, h_id counting per entry. */
final class DlgTable {
    final int size;
    private final int idStart, idStep;
    private final AtomicIntegerArray nextId;
    private final Map<Long, Dialog> byKey = new ConcurrentHashMap<>();
    private final Map<String, List<Dialog>> byCallId = new ConcurrentHashMap<>();

    DlgTable(int size, int idStart, int idStep) {
        this.size = size;
        this.idStart = idStart;
        this.idStep = idStep;
        this.nextId = new AtomicIntegerArray(size);
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < size; i++) {
            nextId.set(i, idStep > 1 ? idStart + idStep * (r.nextInt(3 * size) + 1) : r.nextInt(3 * size));
        }
    }

    int entryOf(String callId) {
        return CoreHash.of(callId) & (size - 1);
    }

    /** link_dlg: gives the dialog its h_id and makes it findable. */
    void link(Dialog d) {
        int id;
        if (idStep > 1) {
            id = nextId.getAndUpdate(d.hEntry, n -> n == 0 || n + idStep < n ? idStart + idStep * 2 : n + idStep);
            if (id == 0 || id + idStep < id) id = idStart + idStep;
        } else {
            id = nextId.incrementAndGet(d.hEntry);
            if (id == 0) id = nextId.incrementAndGet(d.hEntry);
        }
        d.hId = id;
        byKey.put(d.key(), d);
        byCallId.computeIfAbsent(d.callId, c -> new CopyOnWriteArrayList<>()).add(d);
    }

    /** A dialog loaded from the database keeps its h_id; the entry's next id moves past it (in this instance's series). */
    void restore(Dialog d) {
        int id = d.hId;
        if (idStep == 1) nextId.getAndUpdate(d.hEntry, n -> Integer.compareUnsigned(n, id) <= 0 ? id : n);
        else if (Integer.remainderUnsigned(id - idStart, idStep) == 0) {
            nextId.getAndUpdate(d.hEntry, n -> Integer.compareUnsigned(n, id) <= 0 ? id + idStep : n);
        }
        byKey.put(d.key(), d);
        byCallId.computeIfAbsent(d.callId, c -> new CopyOnWriteArrayList<>()).add(d);
    }

    void unlink(Dialog d) {
        byKey.remove(d.key(), d);
        List<Dialog> l = byCallId.get(d.callId);
        if (l != null) {
            l.remove(d);
            if (l.isEmpty()) byCallId.remove(d.callId, l);
        }
    }

    Dialog lookup(int entry, int id) {
        return byKey.get(Dialog.key(entry, id));
    }

    /** get_dlg: the dialog of these Call-ID and tags, its direction in dir[0]. */
    Dialog find(String callId, String ftag, String ttag, int[] dir) {
        List<Dialog> l = callId == null ? null : byCallId.get(callId);
        if (l == null) return null;
        for (Dialog d : l) {
            int r = d.match(callId, ftag, ttag);
            if (r >= 0) {
                if (dir != null) dir[0] = r;
                return d;
            }
        }
        return null;
    }

    /** The dialogs of a Call-ID (dlg.dlg_list), optionally only with that caller tag. */
    List<Dialog> byCallId(String callId, String fromTag) {
        List<Dialog> out = new ArrayList<>();
        for (Dialog d : byCallId.getOrDefault(callId, List.of())) {
            if (fromTag == null || fromTag.equals(d.tag[Dialog.CALLER])) out.add(d);
        }
        return out;
    }

    /** Every dialog, by hash entry then age, as Kamailio walks its table. */
    List<Dialog> all() {
        List<Dialog> out = new ArrayList<>(byKey.values());
        out.sort(Comparator.comparingInt((Dialog d) -> d.hEntry).thenComparingLong(d -> d.initTs).thenComparingInt(d -> d.hId));
        return out;
    }

    int count() {
        return byKey.size();
    }
}
