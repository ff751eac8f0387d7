package dev.kemi.runtime.modules.usrloc;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One location table (Kamailio's udomain_t, e.g. "location"): records hashed into slots by
 * {@link CoreHash}, each slot under its own lock. In db_mode 3 nothing is cached: each
 * {@link #locked} call reads the AoR's rows from the database.
 */
public final class UDomain {
    /** Work on one record under its slot's lock. */
    @FunctionalInterface
    public interface RecordWork<T> {
        T apply(URecord r) throws UsrlocException;
    }

    private static final class Slot {
        final ReentrantLock lock = new ReentrantLock();
        final Map<String, URecord> records = new LinkedHashMap<>();
    }

    private final String name;
    private final UsrlocModule ul;
    private final Slot[] slots;
    private final AtomicLong users = new AtomicLong();
    private final AtomicLong contacts = new AtomicLong();
    final LongAdder expired = new LongAdder();

    UDomain(String name, UsrlocModule ul, int size) {
        this.name = name;
        this.ul = ul;
        this.slots = new Slot[size];
        for (int i = 0; i < size; i++) slots[i] = new Slot();
    }

    public String name() { return name; }

    public int size() { return slots.length; }

    DbMode mode() { return ul.dbMode(); }

    int natFlag() { return ul.natFlag(); }

    LocationStore store() { return ul.store(); }

    boolean descTimeOrder() { return ul.descTimeOrder(); }

    int matchingMode() { return ul.matchingMode(); }

    int cseqDelay() { return ul.cseqDelay(); }

    long now() { return ul.now(); }

    long users() { return mode() == DbMode.DB_ONLY ? 0 : users.get(); }

    long contactCount() { return contacts.get(); }

    void contactsAdded(int n) {
        if (mode() != DbMode.DB_ONLY) contacts.addAndGet(n);
    }

    private Slot slot(String aor) {
        return slots[CoreHash.of(aor) & (slots.length - 1)];
    }

    /**
     * Runs {@code work} on the AoR's record under its lock: the stored one, or a new empty one
     * (no contacts = not registered) that is kept only if it gets contacts.
     */
    public <T> T locked(String aor, RecordWork<T> work) throws UsrlocException {
        Slot s = slot(aor);
        s.lock.lock();
        try {
            if (mode() == DbMode.DB_ONLY) return work.apply(loadFromDb(aor));
            URecord r = s.records.get(aor);
            boolean stored = r != null;
            if (r == null) r = new URecord(this, aor);
            try {
                return work.apply(r);
            } finally {
                if (!stored && !r.contacts.isEmpty()) {
                    s.records.put(aor, r);
                    users.incrementAndGet();
                } else if (stored && r.contacts.isEmpty()) {
                    s.records.remove(aor);
                    users.decrementAndGet();
                }
            }
        } finally {
            s.lock.unlock();
        }
    }

    private URecord loadFromDb(String aor) throws UsrlocException {
        URecord r = new URecord(this, aor);
        for (LocationStore.Row row : store().load(name, aor)) {
            UContact c = new UContact(aor, row.contact(), row.info(), natFlag());
            c.state = UContact.State.SYNC;
            r.memInsert(c);
        }
        return r;
    }

    /** Adds rows read at startup (preload) to memory, already in sync with the database. */
    void preload(List<LocationStore.Row> rows) {
        for (LocationStore.Row row : rows) {
            Slot s = slot(row.aor());
            s.lock.lock();
            try {
                URecord r = s.records.get(row.aor());
                if (r == null) {
                    r = new URecord(this, row.aor());
                    s.records.put(row.aor(), r);
                    users.incrementAndGet();
                }
                UContact c = new UContact(row.aor(), row.contact(), row.info(), natFlag());
                c.state = UContact.State.SYNC;
                r.memInsert(c);
                contacts.incrementAndGet();
            } finally {
                s.lock.unlock();
            }
        }
    }

    /** Finds the contact with that ruid in the record of that AoR hash (temp GRUU, unregister by ruid). */
    public <T> T lockedByRuid(String ruid, RecordWork<T> work) throws UsrlocException {
        if (mode() == DbMode.DB_ONLY) {
            String aor = store().aorOfRuid(name, ruid);
            return aor == null ? null : locked(aor, work);
        }
        for (Slot s : slots) {
            String aor = null;
            s.lock.lock();
            try {
                for (URecord r : s.records.values()) {
                    for (UContact c : r.contacts) if (c.ruid.equals(ruid)) aor = r.aor();
                }
            } finally {
                s.lock.unlock();
            }
            if (aor != null) return locked(aor, work);
        }
        return null;
    }

    /** Visits every record, slot by slot, each under its slot's lock (ul.dump, keepalives). */
    public void forEach(Consumer<URecord> visit) {
        for (Slot s : slots) {
            s.lock.lock();
            try {
                s.records.values().forEach(visit);
            } finally {
                s.lock.unlock();
            }
        }
    }

    /** Visits the records of the slots i with i % parts == part (nathelper's keepalive partitions), each under its slot's lock. */
    public void forEachInPartition(int part, int parts, Consumer<URecord> visit) {
        for (int i = part; i < slots.length; i += parts) {
            Slot s = slots[i];
            s.lock.lock();
            try {
                s.records.values().forEach(visit);
            } finally {
                s.lock.unlock();
            }
        }
    }

    /** Records per slot of the fullest slot (ul.dump's Max-Slots). */
    int maxSlot() {
        int max = 0;
        for (Slot s : slots) {
            s.lock.lock();
            try {
                max = Math.max(max, s.records.size());
            } finally {
                s.lock.unlock();
            }
        }
        return max;
    }

    /**
     * The expiry timer: drops expired contacts, and in db_mode 1/2 writes what is not in the
     * database yet (new and changed contacts, rows of deleted ones). A failed write is retried
     * on the next run.
     */
    void timer(long now) {
        DbMode mode = mode();
        if (mode == DbMode.DB_ONLY) {
            try {
                store().deleteExpired(name, now);
            } catch (UsrlocException e) {
                ul.log("usrloc: failed to delete expired contacts of " + name + ": " + e.getMessage());
            }
            return;
        }
        for (Slot s : slots) {
            s.lock.lock();
            try {
                Iterator<URecord> it = s.records.values().iterator();
                while (it.hasNext()) {
                    URecord r = it.next();
                    timer(r, now, mode);
                    if (r.contacts.isEmpty()) {
                        it.remove();
                        users.decrementAndGet();
                    }
                }
            } finally {
                s.lock.unlock();
            }
        }
    }

    private void timer(URecord r, long now, DbMode mode) {
        for (UContact c : new ArrayList<>(r.contacts)) {
            boolean mem = (c.flags & UContact.FL_MEM) != 0;
            if (!c.valid(now)) {
                if (mode != DbMode.NO_DB && !mem && c.state != UContact.State.NEW) {
                    try {
                        store().delete(name, c);
                    } catch (UsrlocException e) {
                        ul.log("usrloc: failed to delete contact " + c.contact + " of " + r.aor() + ": " + e.getMessage());
                    }
                }
                r.contacts.remove(c);
                contacts.decrementAndGet();
                expired.increment();
                continue;
            }
            if (mode == DbMode.NO_DB || mem) continue;
            UContact.State old = c.state;
            try {
                if (old == UContact.State.NEW) store().insert(name, c);
                else if (old == UContact.State.DIRTY) store().update(name, c);
                c.state = UContact.State.SYNC;
            } catch (UsrlocException e) {
                c.state = old;
                ul.log("usrloc: failed to write contact " + c.contact + " of " + r.aor() + ": " + e.getMessage());
            }
        }
    }

    /** ul.flush: the timer's database work now (expired contacts included, as Kamailio's flush does). */
    void flush() {
        timer(now());
    }
}
