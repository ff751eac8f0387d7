package dev.kemi.runtime.modules.dispatcher;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The call-load table of algorithm 10 (Kamailio's ds_ht.c): the destination (set, duid) each
 * Call-ID was given, kept until BYE/CANCEL, ds_load_unset, or expiry (ds_hash_expire; while
 * unconfirmed by a 2xx, ds_hash_initexpire). No dialog module: Kamailio tracks calls itself.
 */
final class DsCallLoad {
    /** One tracked call; confirmed once ds_load_update saw the INVITE's 2xx. */
    static final class Cell {
        final int set;
        final String duid;
        final long expire, initExpire;
        volatile boolean confirmed;

        Cell(int set, String duid, long expire, long initExpire) {
            this.set = set;
            this.duid = duid;
            this.expire = expire;
            this.initExpire = initExpire;
        }
    }

    private final ConcurrentHashMap<String, Cell> cells = new ConcurrentHashMap<>();
    private final int expire, initExpire;

    DsCallLoad(int expire, int initExpire) {
        this.expire = expire;
        this.initExpire = initExpire;
    }

    /** ds_add_cell: false when the Call-ID is tracked already. */
    boolean add(String callId, String duid, int set) {
        long now = System.currentTimeMillis() / 1000;
        return cells.putIfAbsent(callId, new Cell(set, duid, now + expire, now + initExpire)) == null;
    }

    Cell get(String callId) {
        return cells.get(callId);
    }

    void remove(String callId) {
        cells.remove(callId);
    }

    /** ds_ht_timer: the cells past their expiry, removed. */
    List<Cell> removeExpired(long nowSeconds) {
        List<Cell> out = new ArrayList<>();
        cells.entrySet().removeIf(e -> {
            Cell c = e.getValue();
            boolean gone = c.expire < nowSeconds || (!c.confirmed && c.initExpire < nowSeconds);
            if (gone) out.add(c);
            return gone;
        });
        return out;
    }
}
