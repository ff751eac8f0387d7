package dev.kemi.runtime.modules.auth;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Nonce ids for nonce-count and one-time nonces (Kamailio's nid.c): nid_pool_no pools (a power
 * of two, at most 64), each a 32-bit counter starting at a random value and advanced by 257 per
 * nonce. A worker thread uses the pool its id selects, as a Kamailio process uses its process
 * number's.
 */
final class NonceIds {
    static final int NID_INC = 257;
    static final int MAX_POOLS = 64;
    final int poolBits;
    final int pools;
    private final AtomicIntegerArray current;

    NonceIds(int requestedPools) {
        int n = requestedPools <= 0 ? 1 : Math.min(requestedPools, MAX_POOLS);
        poolBits = 31 - Integer.numberOfLeadingZeros(n);
        pools = 1 << poolBits;
        current = new AtomicIntegerArray(pools);
        SecureRandom r = new SecureRandom();
        for (int i = 0; i < pools; i++) current.set(i, r.nextInt() & 0x7fffffff);
    }

    int poolOfThisThread() {
        return (int) (Thread.currentThread().threadId() & (pools - 1));
    }

    /** The next id of a pool (the counter after the increment). */
    int next(int pool) {
        return current.addAndGet(pool, NID_INC);
    }

    int current(int pool) {
        return current.get(pool);
    }

    /** The id is so old that its slot has been reused since (unsigned: crt - id >= inc * slots). */
    boolean overflowed(int id, int pool, int partitionSize) {
        return Integer.compareUnsigned(current(pool) - id, NID_INC * partitionSize) >= 0;
    }
}
