package dev.kemi.runtime.modules.auth;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * One bit per in-flight nonce (Kamailio's ot_nonce.c): cleared when the nonce is issued, set when
 * it is first used, so a second use is a replay. Every bit starts set (nothing from before a
 * restart is accepted).
 */
final class OneTimeNonces {
    enum Check { OK, INVALID_POOL, ID_OVERFLOW, REPLAY }

    private final NonceIds ids;
    private final AtomicIntegerArray bits;
    private final int partitionSize, partitionBits, partitionMask;

    /** @param sizeBits k of the 2^k nonces in flight (otn_in_flight_order, or from otn_in_flight_no) */
    OneTimeNonces(NonceIds ids, int sizeBits) {
        this.ids = ids;
        int size = 1 << sizeBits;
        if (ids.pools >= size / 32) {
            throw new IllegalArgumentException("auth: nid_pool_no (" + ids.pools + ") too high for the configured otn_in_flight_no (" + size + ")");
        }
        partitionSize = size >> ids.poolBits;
        partitionBits = sizeBits - ids.poolBits;
        partitionMask = (1 << partitionBits) - 1;
        if (Integer.toUnsignedLong(partitionSize) >= 0xffffffffL / NonceIds.NID_INC) {
            throw new IllegalArgumentException("auth: otn_in_flight_no too big, try decreasing it or increasing the number of pools/partitions");
        }
        bits = new AtomicIntegerArray((size + 31) / 32);
        for (int i = 0; i < bits.length(); i++) bits.set(i, -1);
    }

    private int bit(int id, int pool) {
        return (id & partitionMask) + (pool << partitionBits);
    }

    void issue(int id, int pool) {
        int n = bit(id, pool);
        bits.getAndUpdate(n / 32, v -> v & ~(1 << (n % 32)));
    }

    Check check(int id, int pool) {
        if (pool >= ids.pools) return Check.INVALID_POOL;
        if (ids.overflowed(id, pool, partitionSize)) return Check.ID_OVERFLOW;
        int n = bit(id, pool), mask = 1 << (n % 32);
        int before = bits.getAndUpdate(n / 32, v -> v | mask);
        return (before & mask) != 0 ? Check.REPLAY : Check.OK;
    }
}
