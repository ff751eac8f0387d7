package dev.kemi.runtime.modules.usrloc;

import java.util.List;

/** The location table in a database, for db_mode 1, 2 and 3 (one per usrloc instance). */
public interface LocationStore {
    /** A row as read back: the AoR ("user" or "user@domain" with use_domain), URI and the rest. */
    record Row(String aor, String contact, ContactInfo info) {}

    void insert(String table, UContact c) throws UsrlocException;

    /** By ruid, as Kamailio's db_ops_ruid=1. */
    void update(String table, UContact c) throws UsrlocException;

    void delete(String table, UContact c) throws UsrlocException;

    /** Every row of one AoR. */
    void deleteAor(String table, String aor) throws UsrlocException;

    /** Rows of one AoR, ordered by q ascending as Kamailio queries them (db_mode 3). */
    List<Row> load(String table, String aor) throws UsrlocException;

    /** Every row of the table (preload). */
    List<Row> loadAll(String table) throws UsrlocException;

    /** The AoR of the row with that ruid, or null. */
    String aorOfRuid(String table, String ruid) throws UsrlocException;

    /** Rows expired before now (not permanent ones): db_mode 3's timer. */
    void deleteExpired(String table, long now) throws UsrlocException;
}
