package dev.kemi.runtime.modules.dialog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kemi.runtime.core.RateLimitedLog;
import dev.kemi.runtime.db.Database;
import dev.kemi.runtime.db.DbCond;
import dev.kemi.runtime.db.DbException;
import dev.kemi.runtime.db.DbRow;
import dev.kemi.runtime.db.DbValue;
import dev.kemi.runtime.modules.ScriptLog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Kamailio's dlg_db_handler: the dialog and dialog_vars rows of the dialogs, written as 5.6.3
 * writes them (a full row once the dialog is confirmed, then state, timeout, CSeqs and contacts;
 * variables by their own new/changed flags; both deleted with the dialog). The values are taken
 * on the dialog's worker; realtime mode writes there too (as usrloc's), delayed mode hands the
 * statements to its own thread, shutdown mode writes only when the proxy stops.
 */
final class DlgDb {
    static final int NONE = 0, REALTIME = 1, DELAYED = 2, SHUTDOWN = 3;
    static final int TABLE_VERSION = 7, VARS_TABLE_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    final int mode;
    final DlgDbColumns col;
    final Database db;
    /** Delayed-mode statements waiting for the dialog-db thread, at most. */
    private static final int QUEUE_MAX = 10_000;
    private final ExecutorService writer;
    private final RateLimitedLog failures = ScriptLog.throttled();

    DlgDb(Database db, int mode, DlgDbColumns col) {
        this.db = db;
        this.mode = mode;
        this.col = col;
        // bounded: behind a slow database the submitting thread writes itself (as db_mode 1 would)
        // instead of queueing without end; after shutdown it writes what still comes
        this.writer = mode == DELAYED ? new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE_MAX), r -> {
            Thread t = new Thread(r, "dialog-db");
            t.setDaemon(true);
            return t;
        }, (r, ex) -> r.run()) : null;
    }

    void checkVersions() {
        db.checkTableVersion(col.table, TABLE_VERSION);
        db.checkTableVersion(col.varsTable, VARS_TABLE_VERSION);
    }

    // ------------------------------------------------------------------ loading

    /**
     * load_dialog_info_from_db + load_dialog_vars_from_db: every row becomes a dialog again, with
     * its h_entry/h_id (so the did cookie still matches), timer, profiles and variables; shutdown
     * mode then empties both tables. A row of another hash_size fails startup as in Kamailio.
     */
    void load(DlgTracker tracker, DlgProfiles profiles, java.util.function.Function<String, dev.kemi.runtime.transport.ListenSocket> sockets) {
        DlgTable table = tracker.table;
        for (DbRow r : db.query(col.table, List.of(), List.of(col.hEntry, col.hId, col.callId, col.fromUri, col.fromTag, col.toUri,
                col.toTag, col.startTime, col.state, col.timeout, col.fromCseq, col.toCseq, col.fromRoute, col.toRoute,
                col.fromContact, col.toContact, col.fromSock, col.toSock, col.sflags, col.toRouteName, col.reqUri, col.xdata,
                col.iflags), null).rows()) {
            if (r.get(0).isNull() || r.get(1).isNull() || r.get(7).isNull() || r.get(8).isNull()) {
                ScriptLog.log(ScriptLog.ERR, "dialog: columns " + col.hEntry + ", " + col.hId + ", " + col.startTime + " or "
                        + col.state + " cannot be null -> skipping");
                continue;
            }
            String callId = r.get(2).asString();
            Dialog d = new Dialog(table.entryOf(callId), callId, r.get(3).asString(), r.get(5).asString(), orEmpty(r.get(20).asString()),
                    DlgTracker.now());
            if (d.hEntry != r.get(0).asInt()) {
                throw new DbException("inconsistent hash data in the dialog database: you may have restarted Kamailio using a different"
                        + " hash_size: please erase " + col.table + " database and restart");
            }
            d.hId = (int) r.get(1).asLong();
            d.tag[Dialog.CALLER] = r.get(4).asString();
            d.tag[Dialog.CALLEE] = orEmpty(r.get(6).asString());
            d.startTs = r.get(7).asLong();
            d.state = r.get(8).asInt();
            d.cseq[Dialog.CALLER] = orEmpty(r.get(10).asString());
            d.cseq[Dialog.CALLEE] = orEmpty(r.get(11).asString());
            d.routeSet[Dialog.CALLER] = orEmpty(r.get(12).asString());
            d.routeSet[Dialog.CALLEE] = orEmpty(r.get(13).asString());
            d.contact[Dialog.CALLER] = orEmpty(r.get(14).asString());
            d.contact[Dialog.CALLEE] = orEmpty(r.get(15).asString());
            d.bindAddr[Dialog.CALLER] = socket(r.get(16).asString(), sockets);
            d.bindAddr[Dialog.CALLEE] = socket(r.get(17).asString(), sockets);
            d.sflags = (int) r.get(18).asLong();
            String toRoute = r.get(19).asString();
            d.toRoute = toRoute == null || toRoute.isEmpty() ? null : toRoute;
            String xdata = r.get(21).asString();
            if (xdata != null && !xdata.isEmpty() && d.state != Dialog.DELETED) restoreProfiles(d, xdata, profiles);
            d.iflags = (int) r.get(22).asLong();
            // shutdown mode empties the tables below: what is loaded must be written again when the proxy stops
            d.dflags = mode == SHUTDOWN ? Dialog.FLAG_NEW : 0;
            tracker.restore(d, r.get(9).asLong());
        }
        for (DbRow r : db.query(col.varsTable, List.of(), List.of(col.varsHEntry, col.varsHId, col.varsKey, col.varsValue), null).rows()) {
            if (r.get(0).isNull() || r.get(1).isNull() || r.get(2).isNull() || r.get(3).isNull()) continue;
            Dialog d = table.lookup(r.get(0).asInt(), (int) r.get(1).asLong());
            if (d == null) {
                ScriptLog.log(ScriptLog.WARN, "dialog: inconsistent data: the dialog h_entry/h_id does not exist!");
                continue;
            }
            d.vars.put(r.get(2).asString(), r.get(3).asString());
            if (mode == SHUTDOWN) d.varFlags.put(r.get(2).asString(), Dialog.VAR_NEW);
        }
        if (mode == SHUTDOWN) {
            db.delete(col.table, List.of());
            db.delete(col.varsTable, List.of());
        }
    }

    /** create_socket_info: "proto:host:port" of one of our sockets, else none. */
    private static dev.kemi.runtime.transport.ListenSocket socket(String s,
            java.util.function.Function<String, dev.kemi.runtime.transport.ListenSocket> sockets) {
        if (s == null || s.isEmpty()) return null;
        dev.kemi.runtime.transport.ListenSocket sock = sockets.apply(s);
        if (sock == null) ScriptLog.log(ScriptLog.WARN, "dialog: non-local socket <" + s + ">...ignoring");
        return sock;
    }

    // ------------------------------------------------------------------ writing

    /** Whether the dialog has something to write (the delayed timer's filter; the worker decides again). */
    static boolean pending(Dialog d) {
        return d.state >= Dialog.EARLY && d.state != Dialog.DELETED
                && (d.dflags & (Dialog.FLAG_NEW | Dialog.FLAG_CHANGED | Dialog.FLAG_CHANGED_VARS)) != 0;
    }

    /**
     * update_dialog_dbinfo_unsafe: the statements the dialog's flags ask for, the flags cleared;
     * null when there is nothing to write. Called where the dialog may be changed (its worker).
     */
    List<Consumer<Database>> snapshot(Dialog d) {
        if (d.state < Dialog.EARLY || d.state == Dialog.DELETED) return null;
        List<Consumer<Database>> out = new ArrayList<>();
        long he = d.hEntry, hi = d.hId & 0xffffffffL;
        if ((d.dflags & (Dialog.FLAG_NEW | Dialog.FLAG_CHANGED_VARS)) != 0) {
            List<Map.Entry<String, String>> vars = new ArrayList<>(d.vars.entrySet());
            for (int i = vars.size() - 1; i >= 0; i--) { // newest first, as Kamailio's list
                String key = vars.get(i).getKey(), value = vars.get(i).getValue();
                int f = d.varFlags.getOrDefault(key, 0);
                if ((f & Dialog.VAR_NEW) != 0) {
                    Map<String, DbValue> row = new LinkedHashMap<>();
                    row.put(col.varsHEntry, DbValue.of(he));
                    row.put(col.varsHId, DbValue.of(hi));
                    row.put(col.varsKey, DbValue.of(key));
                    row.put(col.varsValue, DbValue.of(value));
                    out.add(db -> db.insert(col.varsTable, row));
                } else if ((f & Dialog.VAR_CHANGED) != 0) {
                    List<DbCond> where = List.of(DbCond.eq(col.varsHEntry, DbValue.of(he)), DbCond.eq(col.varsHId, DbValue.of(hi)),
                            DbCond.eq(col.varsKey, key));
                    out.add(db -> db.update(col.varsTable, where, Map.of(col.varsValue, DbValue.of(value))));
                }
            }
            d.varFlags.clear();
            d.dflags &= ~Dialog.FLAG_CHANGED_VARS;
        }
        long timeout = d.timeoutAt != 0 ? d.timeoutAt : DlgTracker.now();
        if ((d.dflags & Dialog.FLAG_NEW) != 0) {
            Map<String, DbValue> row = new LinkedHashMap<>();
            row.put(col.hEntry, DbValue.of(he));
            row.put(col.hId, DbValue.of(hi));
            row.put(col.callId, DbValue.of(d.callId));
            row.put(col.fromUri, DbValue.of(d.fromUri));
            row.put(col.fromTag, DbValue.of(d.tag[Dialog.CALLER]));
            row.put(col.toUri, DbValue.of(d.toUri));
            row.put(col.toTag, DbValue.of(orNull(d.tag[Dialog.CALLEE])));
            row.put(col.fromSock, DbValue.of(sock(d, Dialog.CALLER)));
            row.put(col.toSock, DbValue.of(sock(d, Dialog.CALLEE)));
            row.put(col.startTime, DbValue.of(d.startTs));
            row.put(col.state, DbValue.of(d.state));
            row.put(col.timeout, DbValue.of(timeout));
            row.put(col.fromCseq, DbValue.of(orEmpty(d.cseq[Dialog.CALLER])));
            row.put(col.toCseq, DbValue.of(orEmpty(d.cseq[Dialog.CALLEE])));
            row.put(col.fromContact, DbValue.of(orNull(d.contact[Dialog.CALLER])));
            row.put(col.toContact, DbValue.of(orNull(d.contact[Dialog.CALLEE])));
            row.put(col.fromRoute, DbValue.of(orNull(d.routeSet[Dialog.CALLER])));
            row.put(col.toRoute, DbValue.of(orNull(d.routeSet[Dialog.CALLEE])));
            row.put(col.sflags, DbValue.of(d.sflags & 0xffffffffL));
            row.put(col.toRouteName, DbValue.of(orNull(d.toRoute)));
            row.put(col.reqUri, DbValue.of(orNull(d.reqUri)));
            row.put(col.xdata, DbValue.of(profilesJson(d)));
            row.put(col.iflags, DbValue.of(d.iflags & 0xffffffffL));
            out.add(db -> db.insert(col.table, row));
            d.dflags &= ~(Dialog.FLAG_NEW | Dialog.FLAG_CHANGED);
        } else if ((d.dflags & Dialog.FLAG_CHANGED) != 0) {
            Map<String, DbValue> set = new LinkedHashMap<>();
            set.put(col.state, DbValue.of(d.state));
            set.put(col.timeout, DbValue.of(timeout));
            set.put(col.fromCseq, DbValue.of(orEmpty(d.cseq[Dialog.CALLER])));
            set.put(col.toCseq, DbValue.of(orEmpty(d.cseq[Dialog.CALLEE])));
            set.put(col.fromContact, DbValue.of(orEmpty(d.contact[Dialog.CALLER])));
            set.put(col.toContact, DbValue.of(orEmpty(d.contact[Dialog.CALLEE])));
            List<DbCond> where = List.of(DbCond.eq(col.hEntry, DbValue.of(he)), DbCond.eq(col.hId, DbValue.of(hi)));
            out.add(db -> db.update(col.table, where, set));
            d.dflags &= ~Dialog.FLAG_CHANGED;
        }
        return out.isEmpty() ? null : out;
    }

    /** Realtime mode: the dialog's changes go to the database now. */
    void writeNow(Dialog d) {
        run(snapshot(d));
    }

    /** Delayed mode: the dialog's changes, taken now, go to the database on the writer thread. */
    void writeLater(Dialog d) {
        List<Consumer<Database>> w = snapshot(d);
        if (w != null) submit(w);
    }

    /** remove_dialog_from_db: the dialog ended; its rows go (nothing when they were never written). */
    void remove(Dialog d) {
        if (mode == SHUTDOWN || (d.dflags & Dialog.FLAG_NEW) != 0 || d.startTs == 0) return;
        long he = d.hEntry, hi = d.hId & 0xffffffffL;
        List<Consumer<Database>> w = List.of(
                db -> db.delete(col.table, List.of(DbCond.eq(col.hEntry, DbValue.of(he)), DbCond.eq(col.hId, DbValue.of(hi)))),
                db -> db.delete(col.varsTable, List.of(DbCond.eq(col.varsHEntry, DbValue.of(he)), DbCond.eq(col.varsHId, DbValue.of(hi)))));
        if (mode == DELAYED) submit(w);
        else run(w);
    }

    private void submit(List<Consumer<Database>> w) {
        writer.execute(() -> run(w));
    }

    private void run(List<Consumer<Database>> w) {
        if (w == null) return;
        for (Consumer<Database> op : w) {
            try {
                op.accept(db);
            } catch (DbException e) {
                failures.error("dialog db", "dialog: could not update database info: " + e.getMessage(), null);
            }
        }
    }

    /** mod_destroy: queued statements finish, then every dialog's pending changes are written (delayed and shutdown modes). */
    void flush(List<Dialog> all) {
        if (writer != null) {
            writer.shutdown();
            try {
                writer.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Dialog d : all) run(snapshot(d));
    }

    private static String sock(Dialog d, int leg) {
        return d.bindAddr[leg] == null ? "" : d.bindAddr[leg].toString();
    }

    private static String orNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    /** dlg_profiles_to_json: {"profiles":[{"name":..,"value":..,"puid":..}, ...]} newest first; null without profiles. */
    static String profilesJson(Dialog d) {
        if (d.profiles.isEmpty()) return null;
        ObjectNode root = JSON.createObjectNode();
        ArrayNode a = root.putArray("profiles");
        List<DlgProfiles.Link> ls = new ArrayList<>(d.profiles);
        for (int i = ls.size() - 1; i >= 0; i--) {
            DlgProfiles.Link l = ls.get(i);
            ObjectNode o = a.addObject();
            o.put("name", l.profile().name);
            if (l.profile().hasValue) o.put("value", l.value());
            if (l.puid() != null && !l.puid().isEmpty()) o.put("puid", l.puid());
        }
        return root.toString();
    }

    /** dlg_json_to_profiles: the memberships of a loaded dialog; unknown or mismatched profiles are skipped. */
    static void restoreProfiles(Dialog d, String xdata, DlgProfiles profiles) {
        JsonNode root;
        try {
            root = JSON.readTree(xdata);
        } catch (java.io.IOException e) {
            ScriptLog.log(ScriptLog.ERR, "dialog: invalid json doc [[" + xdata + "]]");
            return;
        }
        JsonNode a = root == null ? null : root.get("profiles");
        if (a == null || !a.isArray()) return;
        for (JsonNode it : a) {
            JsonNode name = it.get("name");
            if (name == null || !name.isTextual()) continue;
            DlgProfiles.Profile p = profiles.get(name.asText());
            if (p == null) {
                ScriptLog.log(ScriptLog.ERR, "dialog: profile [" + name.asText() + "] not found");
                continue;
            }
            JsonNode value = it.get("value"), puid = it.get("puid");
            if ((value != null) != p.hasValue) continue;
            DlgProfiles.link(d, p, value == null ? "" : value.asText(), puid == null ? "" : puid.asText());
        }
    }
}
