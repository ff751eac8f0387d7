package dev.kemi.runtime.modules.auth;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The last nonce-count seen per in-flight nonce (Kamailio's nc.c): one byte per slot, four to an
 * int, every slot starting at 255 so that no nonce from before a restart is accepted. A nonce's
 * slot is reset to 0 when it is issued; an nc not above the stored one is a replay.
 */
final class NonceCounts {
    enum Check { OK, INVALID_POOL, ID_OVERFLOW, TOO_BIG, REPLAY }

    private final NonceIds ids;
    private final AtomicIntegerArray cells;
    private final int partitionSize, partitionBits, partitionMask;

    /** @param sizeBits k of the 2^k slots (nc_array_order, or from nc_array_size rounded down) */
    NonceCounts(NonceIds ids, int sizeBits) {
        this.ids = ids;
        int size = 1 << sizeBits;
        if (ids.pools >= size) {
            throw new IllegalArgumentException("auth: nid_pool_no (" + ids.pools + ") too high for the configured nc_array_size (" + size + ")");
        }
        partitionSize = size >> ids.poolBits;
        partitionBits = sizeBits - ids.poolBits;
        partitionMask = (1 << partitionBits) - 1;
        if (Integer.toUnsignedLong(partitionSize) >= 0xffffffffL / NonceIds.NID_INC) {
            throw new IllegalArgumentException("auth: nc_array_size too big, try decreasing it or increasing the number of pools/partitions");
        }
        cells = new AtomicIntegerArray((size + 3) / 4);
        for (int i = 0; i < cells.length(); i++) cells.set(i, -1);
    }

    private int slot(int id, int pool) {
        return (id & partitionMask) + (pool << partitionBits);
    }

    /** A new nonce with this id: its count starts at 0. */
    void issue(int id, int pool) {
        int n = slot(id, pool), i = n / 4, shift = (n % 4) * 8;
        cells.getAndUpdate(i, v -> v & ~(0xff << shift));
    }

    Check check(int id, int pool, long nc) {
        if (pool >= ids.pools) return Check.INVALID_POOL;
        if (ids.overflowed(id, pool, partitionSize)) return Check.ID_OVERFLOW;
        if (nc >= 256) return Check.TOO_BIG;
        int n = slot(id, pool), i = n / 4, shift = (n % 4) * 8;
        while (true) {
            int v = cells.get(i);
            int stored = (v >>> shift) & 0xff;
            if (stored >= nc) return Check.REPLAY;
            int next = (v & ~(0xff << shift)) | ((int) nc << shift);
            if (cells.compareAndSet(i, v, next)) return Check.OK;
        }
    }
}
