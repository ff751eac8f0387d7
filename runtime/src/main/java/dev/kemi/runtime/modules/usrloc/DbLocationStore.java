package dev.kemi.runtime.modules.usrloc;

import dev.kemi.runtime.db.Database;
import dev.kemi.runtime.db.DbCond;
import dev.kemi.runtime.db.DbException;
import dev.kemi.runtime.db.DbOp;
import dev.kemi.runtime.db.DbRow;
import dev.kemi.runtime.db.DbType;
import dev.kemi.runtime.db.DbValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The location table in Kamailio's schema (version 9), written as Kamailio's usrloc writes it:
 * the same columns set, NULL where Kamailio leaves a column out, rows addressed by ruid
 * (db_ops_ruid=1), so either of the two can read what the other wrote.
 */
final class DbLocationStore implements LocationStore {
    static final int TABLE_VERSION = 9;

    private final Database db;
    private final LocationColumns col;
    private final boolean useDomain;
    private final List<String> readColumns;

    DbLocationStore(Database db, LocationColumns col, boolean useDomain) {
        this.db = db;
        this.col = col;
        this.useDomain = useDomain;
        this.readColumns = List.of(col.contact, col.expires, col.q, col.callid, col.cseq, col.flags, col.cflags,
                col.userAgent, col.received, col.path, col.socket, col.methods, col.lastModified, col.ruid,
                col.instance, col.regId, col.serverId, col.connectionId, col.keepalive, col.username, col.domain);
    }

    void checkVersion(String table) {
        db.checkTableVersion(table, TABLE_VERSION);
    }

    /** username and domain of an AoR, as Kamailio splits it with use_domain. */
    private List<DbCond> aorKeys(String aor) {
        List<DbCond> keys = new ArrayList<>(2);
        if (useDomain) {
            int at = aor.indexOf('@');
            keys.add(DbCond.eq(col.username, at < 0 ? "" : aor.substring(0, at)));
            keys.add(DbCond.eq(col.domain, at < 0 ? aor : aor.substring(at + 1)));
        } else {
            keys.add(DbCond.eq(col.username, aor));
        }
        return keys;
    }

    private static DbValue str(String s) {
        return s == null || s.isEmpty() ? DbValue.nullOf(DbType.STRING) : DbValue.of(s);
    }

    private static double q(int q) {
        return q == UContact.Q_UNSPECIFIED ? -1 : q / 1000.0;
    }

    @Override
    public void insert(String table, UContact c) throws UsrlocException {
        Map<String, DbValue> v = new LinkedHashMap<>();
        for (DbCond k : aorKeys(c.aor())) v.put(k.column(), k.value());
        v.put(col.contact, DbValue.of(c.contact()));
        v.put(col.expires, DbValue.datetime(c.expires()));
        v.put(col.q, DbValue.of(q(c.q())));
        v.put(col.callid, DbValue.of(c.callId()));
        v.put(col.cseq, DbValue.of(c.cseq()));
        v.put(col.flags, DbValue.of(c.flags()));
        v.put(col.cflags, DbValue.of(c.cflags()));
        v.put(col.userAgent, DbValue.of(c.userAgent()));
        if (!c.received().isEmpty()) v.put(col.received, DbValue.of(c.received()));
        if (!c.path().isEmpty()) v.put(col.path, DbValue.of(c.path()));
        if (!c.socket().isEmpty()) v.put(col.socket, DbValue.of(c.socket()));
        if (c.methods() != UContact.ALL_METHODS) v.put(col.methods, DbValue.of(c.methods()));
        v.put(col.lastModified, DbValue.datetime(c.lastModified()));
        if (!c.ruid().isEmpty()) v.put(col.ruid, DbValue.of(c.ruid()));
        if (!c.instance().isEmpty()) v.put(col.instance, DbValue.of(c.instance()));
        v.put(col.regId, DbValue.of(c.regId()));
        v.put(col.serverId, DbValue.of(c.serverId()));
        v.put(col.connectionId, DbValue.of(c.tcpconnId()));
        v.put(col.keepalive, DbValue.of(c.keepalive()));
        v.put(col.partition, DbValue.of(0));
        run(() -> db.insert(table, v));
    }

    @Override
    public void update(String table, UContact c) throws UsrlocException {
        Map<String, DbValue> v = new LinkedHashMap<>();
        v.put(col.contact, DbValue.of(c.contact()));
        v.put(col.expires, DbValue.datetime(c.expires()));
        v.put(col.q, DbValue.of(q(c.q())));
        v.put(col.callid, DbValue.of(c.callId()));
        v.put(col.cseq, DbValue.of(c.cseq()));
        v.put(col.flags, DbValue.of(c.flags()));
        v.put(col.cflags, DbValue.of(c.cflags()));
        v.put(col.userAgent, DbValue.of(c.userAgent()));
        v.put(col.received, str(c.received()));
        v.put(col.path, str(c.path()));
        v.put(col.socket, str(c.socket()));
        v.put(col.methods, c.methods() == UContact.ALL_METHODS ? DbValue.nullOf(DbType.INT) : DbValue.of(c.methods()));
        v.put(col.lastModified, DbValue.datetime(c.lastModified()));
        v.put(col.instance, str(c.instance()));
        v.put(col.regId, DbValue.of(c.regId()));
        v.put(col.serverId, DbValue.of(c.serverId()));
        v.put(col.connectionId, DbValue.of(c.tcpconnId()));
        v.put(col.keepalive, DbValue.of(c.keepalive()));
        int n = run(() -> db.update(table, List.of(DbCond.eq(col.ruid, c.ruid())), v));
        // the row is gone (removed by another proxy or by hand): write it again
        if (n == 0) insert(table, c);
    }

    @Override
    public void delete(String table, UContact c) throws UsrlocException {
        run(() -> db.delete(table, List.of(DbCond.eq(col.ruid, c.ruid()))));
    }

    @Override
    public void deleteAor(String table, String aor) throws UsrlocException {
        run(() -> db.delete(table, aorKeys(aor)));
    }

    @Override
    public List<Row> load(String table, String aor) throws UsrlocException {
        return rows(run(() -> db.query(table, aorKeys(aor), readColumns, col.q).rows()));
    }

    @Override
    public List<Row> loadAll(String table) throws UsrlocException {
        return rows(run(() -> db.query(table, List.of(), readColumns, null).rows()));
    }

    @Override
    public String aorOfRuid(String table, String ruid) throws UsrlocException {
        List<Row> rows = rows(run(() -> db.query(table, List.of(DbCond.eq(col.ruid, ruid)), readColumns, null).rows()));
        return rows.isEmpty() ? null : rows.get(0).aor();
    }

    @Override
    public void deleteExpired(String table, long now) throws UsrlocException {
        run(() -> db.delete(table, List.of(new DbCond(col.expires, DbOp.LT, DbValue.datetime(now + 1)),
                new DbCond(col.expires, DbOp.NE, DbValue.datetime(0)))));
    }

    /** dbrow2info: rows Kamailio would refuse (no contact, callid ...) are skipped as it skips them. */
    private List<Row> rows(List<DbRow> dbRows) {
        List<Row> out = new ArrayList<>(dbRows.size());
        for (DbRow r : dbRows) {
            String contact = r.getString(col.contact);
            String callid = r.getString(col.callid);
            if (contact == null || contact.isEmpty() || callid == null || callid.isEmpty()
                    || r.isNull(col.expires) || r.isNull(col.q) || r.isNull(col.cseq)) {
                continue;
            }
            ContactInfo ci = new ContactInfo();
            ci.uri = contact;
            java.time.Instant exp = r.getInstant(col.expires);
            if (exp == null) continue;
            ci.expires = Math.max(0, exp.getEpochSecond());
            double q = r.getDouble(col.q);
            ci.q = q == -1 ? UContact.Q_UNSPECIFIED : (int) Math.round(q * 1000);
            ci.callId = callid;
            ci.cseq = r.getInt(col.cseq);
            ci.flags = r.getInt(col.flags);
            ci.cflags = r.getInt(col.cflags);
            String ua = r.getString(col.userAgent);
            ci.userAgent = ua == null ? "" : ua;
            ci.received = r.getString(col.received);
            ci.path = r.getString(col.path);
            ci.socket = r.getString(col.socket);
            ci.methods = r.isNull(col.methods) ? UContact.ALL_METHODS : r.getInt(col.methods);
            java.time.Instant lm = r.getInstant(col.lastModified);
            ci.lastModified = lm == null ? 0 : lm.getEpochSecond();
            ci.ruid = r.getString(col.ruid);
            ci.instance = r.getString(col.instance);
            ci.regId = r.getInt(col.regId);
            ci.serverId = r.getInt(col.serverId);
            ci.tcpconnId = -1;
            String user = r.getString(col.username);
            String domain = r.getString(col.domain);
            String aor = useDomain && domain != null && !domain.isEmpty()
                    ? (user == null || user.isEmpty() ? domain : user + "@" + domain) : user;
            out.add(new Row(aor, contact, ci));
        }
        return out;
    }

    private interface Call<T> {
        T get();
    }

    private static <T> T run(Call<T> c) throws UsrlocException {
        try {
            return c.get();
        } catch (DbException e) {
            throw new UsrlocException(e.getMessage(), e);
        }
    }
}
