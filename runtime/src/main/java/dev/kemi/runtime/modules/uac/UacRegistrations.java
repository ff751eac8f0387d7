package dev.kemi.runtime.modules.uac;

import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.db.Database;
import dev.kemi.runtime.db.DbCond;
import dev.kemi.runtime.db.DbException;
import dev.kemi.runtime.db.DbResult;
import dev.kemi.runtime.db.DbRow;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.modules.tm.TmUac;
import dev.kemi.runtime.sip.NameAddr;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.SipUri;
import dev.kemi.runtime.transport.ListenSocket;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * uac_reg: registrations to upstream registrars from the uacreg table, as Kamailio 5.6.3's
 * uac_reg.c: a REGISTER per record when it is due (its expiry within reg_timer_interval + 3 s),
 * the registrar's 401/407 answered once with the record's credentials, 423 raising the expiry,
 * other failures retrying after reg_retry_interval (or disabling the record when 0). Records sit
 * in reg_hash_size buckets by the core hash of l_uuid, newest first, which is the order
 * uac.reg_dump lists them in.
 */
final class UacRegistrations {
    static final int TABLE_VERSION = 5;
    static final List<String> COLS = List.of("l_uuid", "l_username", "l_domain", "r_username", "r_domain", "realm", "auth_username",
            "auth_password", "auth_ha1", "auth_proxy", "expires", "flags", "reg_delay", "contact_addr", "socket");

    /** The reg_* modparams. */
    static final class Config {
        String dbUrl, table = "uacreg", contactAddr;
        int timerInterval = 90, retryInterval, keepCallid, randomDelay, active = 1, gcInterval = 150, hashSize = 4, useDomain;
    }

    private final Config cfg;
    private final ProxyServices services;
    private final TmUac tm;
    private final Function<String, ListenSocket> sockets;
    private final Database db;
    private final int size;
    private volatile List<LinkedList<UacRegRecord>> byUuid;
    private volatile List<LinkedList<UacRegRecord>> byUser;
    private volatile int active;
    private long lastShift;
    final LongAdder regtotal, regactive, regdisabled;

    UacRegistrations(Config cfg, ProxyServices services, TmUac tm, Database db, Function<String, ListenSocket> sockets) {
        this.cfg = cfg;
        this.services = services;
        this.tm = tm;
        this.db = db;
        this.sockets = sockets;
        int bits = Math.max(2, Math.min(14, cfg.hashSize));
        this.size = 1 << bits;
        this.active = cfg.active;
        this.byUuid = buckets();
        this.byUser = buckets();
        regtotal = services.statistics().counter("uac", "regtotal");
        regactive = services.statistics().counter("uac", "regactive");
        regdisabled = services.statistics().counter("uac", "regdisabled");
    }

    private List<LinkedList<UacRegRecord>> buckets() {
        List<LinkedList<UacRegRecord>> b = new ArrayList<>(size);
        for (int i = 0; i < size; i++) b.add(new LinkedList<>());
        return b;
    }

    // ------------------------------------------------------------------ the table

    /** uac_reg_load_db: every valid row into the (current) buckets. */
    synchronized void load() {
        db.checkTableVersion(cfg.table, TABLE_VERSION);
        DbResult r = db.query(cfg.table, List.of(), COLS, null);
        for (DbRow row : r.rows()) {
            UacRegRecord rec = fromRow(row);
            if (rec != null) add(rec);
        }
    }

    /** uac_reg_db_refresh: 1 reloaded, 0 no such row, -1 error. */
    synchronized int refresh(String lUuid) {
        DbResult r;
        try {
            r = db.query(cfg.table, List.of(DbCond.eq("l_uuid", lUuid)), COLS, null);
        } catch (DbException e) {
            ScriptLog.log(ScriptLog.ERR, "uac: " + e.getMessage());
            return -1;
        }
        if (r.rows().isEmpty()) return 0;
        UacRegRecord rec = fromRow(r.rows().get(0));
        if (rec != null) {
            UacRegRecord cur = byUuid(lUuid);
            if (cur != null) {
                synchronized (cur) {
                    rec.flags |= cur.flags & (UacRegRecord.ONGOING | UacRegRecord.AUTHSENT);
                }
                remove(cur);
            }
            add(rec);
        }
        return 1;
    }

    /** uac.reg_reload: refused within reg_gc_interval of the previous one, as 5.6.3's table shift. */
    synchronized String reload() {
        long now = now();
        if (lastShift > now - cfg.gcInterval) {
            ScriptLog.log(ScriptLog.ERR, "uac: shifting in-memory table is not possible in less than " + cfg.gcInterval + " secs");
            return "Failed to shift records - check log messages";
        }
        lastShift = now;
        byUuid = buckets();
        byUser = buckets();
        try {
            load();
        } catch (DbException e) {
            ScriptLog.log(ScriptLog.ERR, "uac: " + e.getMessage());
            return "Failed to reload records - check log messages";
        }
        return null;
    }

    /** One row as uac_reg_db_to_reg takes it; null (logged) for a row it ignores. */
    private static UacRegRecord fromRow(DbRow row) {
        String[] v = new String[10];
        for (int i = 0; i < 10; i++) {
            String s = row.isNull(COLS.get(i)) ? null : row.getString(COLS.get(i));
            boolean mayBeEmpty = i == 5 || i == 7 || i == 8;
            if (s != null && s.isEmpty()) {
                if (!mayBeEmpty) {
                    ScriptLog.log(ScriptLog.ERR, "uac: empty value not allowed for column[" + i + "]='" + COLS.get(i) + "' - ignoring record");
                    return null;
                }
                s = null;
            }
            v[i] = s;
        }
        if (!passwordUsable(v[7], v[8])) return null;
        String contact = row.isNull("contact_addr") || row.getString("contact_addr").isEmpty() ? null : row.getString("contact_addr");
        String socket = row.isNull("socket") || row.getString("socket").isEmpty() ? null : row.getString("socket");
        return new UacRegRecord(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], intOf(row, "expires"),
                intOf(row, "flags"), intOf(row, "reg_delay"), contact, socket);
    }

    /** uac_reg_check_password: a password or a 32-hex-digit HA1 (logged when not). */
    static boolean passwordUsable(String password, String ha1) {
        if (password == null && ha1 == null) {
            ScriptLog.log(ScriptLog.ERR, "uac: no password value provided - ignoring record");
            return false;
        }
        if (ha1 != null && (ha1.length() != 32 || !ha1.chars().allMatch(c -> Character.digit(c, 16) >= 0))) {
            ScriptLog.log(ScriptLog.ERR, "uac: invalid HA1 value " + ha1 + " - ignoring record");
            return false;
        }
        return true;
    }

    private static int intOf(DbRow row, String col) {
        return row.isNull(col) ? 0 : row.getInt(col);
    }

    /** reg_ht_add: the record (its contact_addr defaulted, its delay drawn) on top of its buckets. */
    synchronized void add(UacRegRecord r) {
        UacRegRecord rec = r.contactAddr != null ? r : new UacRegRecord(r.lUuid, r.lUsername, r.lDomain, r.rUsername, r.rDomain,
                r.realm, r.authUsername, r.authPassword, r.authHa1, r.authProxy, r.expires, r.flags, r.regDelay, cfg.contactAddr, r.socket);
        if (rec.regDelay == 0 && cfg.randomDelay > 0) rec.regDelay = ThreadLocalRandom.current().nextInt(cfg.randomDelay);
        rec.regInit = now();
        byUser.get(rec.hUser & (size - 1)).addFirst(rec);
        byUuid.get(rec.hUuid & (size - 1)).addFirst(rec);
        regtotal.increment();
    }

    synchronized void remove(UacRegRecord r) {
        byUuid.get(r.hUuid & (size - 1)).remove(r);
        byUser.get(r.hUser & (size - 1)).remove(r);
        regtotal.decrement();
    }

    /** Every record in Kamailio's dump order. */
    synchronized List<UacRegRecord> all() {
        List<UacRegRecord> out = new ArrayList<>();
        for (LinkedList<UacRegRecord> b : byUuid) out.addAll(b);
        return out;
    }

    synchronized UacRegRecord byUuid(String uuid) {
        int h = DigestAnswer.hash1(uuid);
        for (UacRegRecord r : byUuid.get(h & (size - 1))) if (r.hUuid == h && r.lUuid.equals(uuid)) return r;
        return null;
    }

    /** reg_ht_get_byuser: by l_username, and l_domain when a domain is given. */
    synchronized UacRegRecord byUser(String user, String domain) {
        int h = DigestAnswer.hash1(user);
        for (UacRegRecord r : byUser.get(h & (size - 1))) {
            if (r.hUser == h && r.lUsername.equals(user) && (domain == null || domain.equals(r.lDomain))) return r;
        }
        return null;
    }

    /** reg_ht_get_byfilter: 1 found (in out[0]), 0 not found, -1 unsupported attribute. */
    int byFilter(String attr, String val, UacRegRecord[] out) {
        switch (attr) {
            case "l_uuid" -> out[0] = byUuid(val);
            case "l_username" -> out[0] = byUser(val, null);
            case "r_username", "auth_username" -> {
                List<UacRegRecord> all = all();
                if (all.isEmpty()) return 0;
                for (UacRegRecord r : all) {
                    if (val.equals(attr.equals("r_username") ? r.rUsername : r.authUsername)) {
                        out[0] = r;
                        return 1;
                    }
                }
                return 0;
            }
            default -> {
                if (all().isEmpty()) return 0;
                ScriptLog.log(ScriptLog.ERR, "uac: unsupported filter attribute " + attr);
                return -1;
            }
        }
        return out[0] != null ? 1 : 0;
    }

    /** uac.reg_active: the old mode. */
    int active(int mode) {
        int old = active;
        active = mode != 0 ? 1 : 0;
        return old;
    }

    boolean isActive() {
        return active != 0;
    }

    // ------------------------------------------------------------------ the timer

    /** uac_reg_timer: every record that is due gets its REGISTER. */
    void tick() {
        long tn = now();
        for (UacRegRecord r : all()) {
            synchronized (r) {
                update(r, tn);
            }
        }
    }

    private void update(UacRegRecord r, long tn) {
        if (r.expires == 0) return;
        if ((r.flags & UacRegRecord.ONGOING) != 0) {
            if (r.timerExpires > tn - cfg.retryInterval) return;
            r.flags &= ~(UacRegRecord.ONLINE | UacRegRecord.AUTHSENT);
        }
        if (active == 0 || (r.flags & UacRegRecord.DISABLED) != 0) return;
        if ((r.flags & UacRegRecord.INIT) == 0) {
            if (r.regDelay > 0 && tn < r.regInit + r.regDelay) return;
            r.flags |= UacRegRecord.INIT;
        }
        if (r.timerExpires > tn + cfg.timerInterval + 3) return;
        send(r, tn);
    }

    /** uac_reg_send: 0 sent, -1 not (retry later or disabled). Caller holds the record's monitor. */
    int send(UacRegRecord r, long tn) {
        r.timerExpires = tn;
        r.flags |= UacRegRecord.ONGOING;
        regactive.decrement();
        String ruri = "sip:" + r.rDomain;
        String aor = "sip:" + r.rUsername + "@" + r.rDomain;
        String hdrs = "Contact: <sip:" + r.lUuid + "@" + r.contactAddr + ">\r\nExpires: " + r.expires + "\r\n";
        boolean custom = r.socket != null && !r.socket.isEmpty();
        ListenSocket sock = sockets.apply(custom ? r.socket : null);
        boolean keep = cfg.keepCallid != 0 && (r.flags & UacRegRecord.ONLINE) != 0 && r.cseq > 0 && r.cseq < 2147483638
                && r.callId != null;
        TmUac.Dlg dlg = new TmUac.Dlg(keep ? r.callId : null, aor, null, aor, null, keep ? r.cseq + 1 : 10, List.of());
        // a socket column naming none of ours fails the send, as tm's lookup of uac_r.ssock
        boolean sent = (sock != null || !custom) && tm.request(new TmUac.Request("REGISTER", ruri, dlg, hdrs, null,
                r.authProxy, sock), o -> completed(r.lUuid, o, sock));
        r.flags &= ~UacRegRecord.ONLINE;
        if (!sent) {
            ScriptLog.log(ScriptLog.ERR, "uac: failed to send request for [" + r.lUuid + "]");
            if (cfg.retryInterval != 0) {
                r.timerExpires = (tn != 0 ? tn : now()) + cfg.retryInterval;
            } else {
                r.flags |= UacRegRecord.DISABLED;
                regdisabled.increment();
            }
            r.flags &= ~UacRegRecord.ONGOING;
            return -1;
        }
        return 0;
    }

    /** uac_reg_tm_callback. */
    private void completed(String uuid, TmUac.Reply o, ListenSocket sock) {
        UacRegRecord r = byUuid(uuid);
        if (r == null) return;
        synchronized (r) {
            Boolean ok = outcome(r, o, sock);
            if (ok == null) return; // credentials sent: the next reply decides
            if (!ok) {
                if (cfg.retryInterval != 0) {
                    r.timerExpires = now() + cfg.retryInterval;
                } else {
                    r.flags |= UacRegRecord.DISABLED;
                    regdisabled.increment();
                }
                r.cseq = 0;
            }
            r.flags &= ~(UacRegRecord.ONGOING | UacRegRecord.AUTHSENT);
            regactive.increment();
        }
    }

    /** true done, false error, null the challenge was answered. */
    private Boolean outcome(UacRegRecord r, TmUac.Reply o, ListenSocket sock) {
        SipMessage rpl = o.msg();
        int code = o.code();
        if (code == 200) {
            try {
                for (NameAddr c : rpl.contacts()) {
                    if ("*".equals(c.uri())) return true;
                    SipUri u = SipUri.parse(c.uri());
                    if (!r.lUuid.equals(u.user())) continue;
                    int expires = 0;
                    String ce = c.params().get("expires");
                    if (ce == null || ce.isEmpty()) {
                        String e = rpl.header("Expires");
                        if (e != null) expires = parseInt(e.trim());
                    } else {
                        expires = parseInt(ce);
                    }
                    r.timerExpires += expires;
                    r.flags |= UacRegRecord.ONLINE;
                    if (cfg.keepCallid != 0) {
                        r.callId = rpl.callId();
                        r.cseq = (int) rpl.cseq().value();
                    }
                    return true;
                }
                if (rpl.contacts().isEmpty()) {
                    ScriptLog.log(ScriptLog.ERR, "uac: no Contact found");
                    return false;
                }
            } catch (SipParseException | RuntimeException e) {
                ScriptLog.log(ScriptLog.ERR, "uac: failed to parse Contact HF");
                return false;
            }
            return true;
        }
        if (code == 401 || code == 407) {
            if ((r.flags & UacRegRecord.AUTHSENT) != 0) {
                ScriptLog.log(ScriptLog.ERR, "uac: authentication failed for <" + r.lUuid + ">");
                return false;
            }
            Challenge c = rpl == null ? null : Challenge.parse(rpl.header(code == 401 ? "WWW-Authenticate" : "Proxy-Authenticate"));
            if (c == null) {
                ScriptLog.log(ScriptLog.ERR, "uac: failed to parse auth hdr body");
                return false;
            }
            if (r.realm != null && !r.realm.isEmpty() && !r.realm.equals(c.realm())) {
                ScriptLog.log(ScriptLog.ERR, "uac: realms do not match. requested realm: [" + c.realm() + "]");
                return false;
            }
            boolean ha1 = r.authHa1 != null;
            String ruri = "sip:" + r.rDomain;
            String auth = DigestAnswer.header(code, "REGISTER", ruri, r.authUsername, c.realm(), ha1 ? r.authHa1 : r.authPassword, ha1, c);
            NameAddr from, to;
            int cseq;
            try {
                from = rpl.from();
                to = rpl.to();
                cseq = (int) rpl.cseq().value();
            } catch (SipParseException | RuntimeException e) {
                ScriptLog.log(ScriptLog.ERR, "uac: failed to build tm dialog");
                return false;
            }
            if (auth == null || from == null || to == null) return false;
            String hdrs = "Contact: <sip:" + r.lUuid + "@" + r.contactAddr + ">\r\nExpires: " + r.expires + "\r\n" + auth;
            TmUac.Dlg dlg = new TmUac.Dlg(rpl.callId(), from.uri(), from.tag(), to.uri(), null, cseq + 1, List.of());
            boolean sent = tm.request(new TmUac.Request("REGISTER", ruri, dlg, hdrs, null, r.authProxy, sock),
                    o2 -> completed(r.lUuid, o2, sock));
            if (!sent) {
                ScriptLog.log(ScriptLog.ERR, "uac: failed to send request with authentication for [" + r.lUuid + "]");
                return false;
            }
            r.flags |= UacRegRecord.AUTHSENT;
            return null;
        }
        if (code == 423) {
            String min = rpl == null ? null : rpl.header("Min-Expires");
            int m = min == null ? -1 : parseInt(min.trim());
            r.expires = m >= 0 ? m : r.expires * 2;
            return true;
        }
        ScriptLog.log(ScriptLog.ERR, "uac: got sip response " + code + " while registering [" + r.lUuid + "]");
        return false;
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static long now() {
        return System.currentTimeMillis() / 1000;
    }

    /** The socket a uacreg "socket" value or default_socket names (null: the routing decides). */
    static ListenSocket socket(ProxyServices services, String spec) {
        if (spec == null) return null;
        for (ListenSocket s : services.sockets()) if (SendSocketSpec.matches(s, spec)) return s;
        return null;
    }
}
