package dev.kemi.runtime.modules.acc;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.api.Param;
import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.core.RuntimeModule;
import dev.kemi.runtime.db.Database;
import dev.kemi.runtime.db.DbException;
import dev.kemi.runtime.db.Databases;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.modules.pv.AvpStore;
import dev.kemi.runtime.modules.pv.PvModule;
import dev.kemi.runtime.modules.tm.Branch;
import dev.kemi.runtime.modules.tm.TmEvents;
import dev.kemi.runtime.modules.tm.Transaction;
import dev.kemi.runtime.sip.NameAddr;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * acc: completed transactions flagged with log_flag / db_flag, failed ones with
 * failed_transaction_flag, missed calls with log_missed_flag / db_missed_flag, and
 * acc_log_request() / acc_db_request(). The syslog backend writes Kamailio 5.6.3's line on the
 * logger {@code kemi.acc} at log_level (the facility is in the MDC as {@code syslog_facility} for
 * an appender that routes by it); the SQL backend ({@link AccDb}) writes rows into db_url's acc
 * and missed_calls tables.
 */
@Module(value = "acc", loadName = "acc")
public final class AccModule implements RuntimeModule {
    /** The acc line's logger: an appender of its own can capture it (it is the product, not a diagnostic). */
    public static final String LOGGER = "kemi.acc";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
    private static final Logger DIAG = LoggerFactory.getLogger(AccModule.class);
    private static final Set<String> FACILITIES = Set.of("LOG_AUTH", "LOG_CRON", "LOG_DAEMON", "LOG_KERN", "LOG_LOCAL0",
            "LOG_LOCAL1", "LOG_LOCAL2", "LOG_LOCAL3", "LOG_LOCAL4", "LOG_LOCAL5", "LOG_LOCAL6", "LOG_LOCAL7", "LOG_LPR",
            "LOG_MAIL", "LOG_NEWS", "LOG_USER", "LOG_UUCP", "LOG_AUTHPRIV", "LOG_FTP", "LOG_SYSLOG");
    /** The table versions of Kamailio 5.6.3's schema (acc does not check them; a mismatch is only warned about). */
    private static final Map<String, Integer> TABLE_VERSIONS = Map.of("acc", 5, "missed_calls", 4);
    private static final int DB_TABLE_NAME_SIZE = 64;

    private int logFlag = -1, missedFlag = -1, failedFlag = -1;
    private int dbFlag = -1, dbMissedFlag = -1;
    private int logLevel = ScriptLog.NOTICE;
    private String facility = "LOG_DAEMON";
    private List<AccExtra> extra = List.of();
    private List<AccExtra> dbExtra = List.of();
    private String dbUrl;
    private String tableAcc = "acc", tableMissed = "missed_calls";
    private String colMethod = "method", colFromTag = "from_tag", colToTag = "to_tag", colCallId = "callid",
            colSipCode = "sip_code", colSipReason = "sip_reason", colTime = "time";
    private int insertMode;
    private boolean extraNullable;
    private Function<MessageContext, String> tableAccName, tableMissedName;
    private AccDb db;
    private PvModule pv;
    private ProxyServices services;

    /** One log_extra / db_extra entry: name=$pv. */
    record AccExtra(String name, String pv) {}

    @Param("log_flag")
    public void logFlag(int f) { logFlag = flag(f, "log_flag"); }

    @Param("log_missed_flag")
    public void logMissedFlag(int f) { missedFlag = flag(f, "log_missed_flag"); }

    @Param("failed_transaction_flag")
    public void failedTransactionFlag(int f) { failedFlag = flag(f, "failed_transaction_flag"); }

    @Param("db_flag")
    public void dbFlag(int f) { dbFlag = flag(f, "db_flag"); }

    @Param("db_missed_flag")
    public void dbMissedFlag(int f) { dbMissedFlag = flag(f, "db_missed_flag"); }

    private static int flag(int f, String name) {
        if (f < -1 || f > 31) throw new IllegalArgumentException(name + " must be a flag 0..31 (or -1 for off)");
        return f;
    }

    @Param("log_level")
    public void logLevel(int l) { logLevel = l; }

    @Param("log_facility")
    public void logFacility(String f) {
        String u = f.trim().toUpperCase(Locale.ROOT);
        if (!FACILITIES.contains(u)) throw new IllegalArgumentException("invalid syslog facility " + f);
        facility = u;
    }

    @Param("log_extra")
    public void logExtra(String spec) { extra = parseExtra(spec, "log_extra"); }

    @Param("db_extra")
    public void dbExtra(String spec) { dbExtra = parseExtra(spec, "db_extra"); }

    /** "name=$pv;name2=$pv2" (newlines and blanks around entries allowed). */
    private static List<AccExtra> parseExtra(String spec, String param) {
        List<AccExtra> out = new ArrayList<>();
        for (String part : spec.split(";")) {
            String p = part.strip();
            if (p.isEmpty()) continue;
            int eq = p.indexOf('=');
            if (eq <= 0 || !p.substring(eq + 1).strip().startsWith("$")) {
                throw new IllegalArgumentException(param + ": bad entry '" + p + "' (name=$pv expected)");
            }
            out.add(new AccExtra(p.substring(0, eq).strip(), p.substring(eq + 1).strip()));
        }
        return List.copyOf(out);
    }

    /** An empty db_url turns the SQL backend off (db_flag and db_missed_flag then do nothing), as in Kamailio. */
    @Param("db_url")
    public void dbUrl(String url) { dbUrl = url.isEmpty() ? null : url; }

    @Param("db_table_acc")
    public void dbTableAcc(String t) { tableAcc = t; }

    @Param("db_table_missed_calls")
    public void dbTableMissedCalls(String t) { tableMissed = t; }

    @Param("acc_method_column") public void methodColumn(String c) { colMethod = c; }
    @Param("acc_from_tag_column") public void fromTagColumn(String c) { colFromTag = c; }
    @Param("acc_to_tag_column") public void toTagColumn(String c) { colToTag = c; }
    @Param("acc_callid_column") public void callidColumn(String c) { colCallId = c; }
    @Param("acc_sip_code_column") public void sipCodeColumn(String c) { colSipCode = c; }
    @Param("acc_sip_reason_column") public void sipReasonColumn(String c) { colSipReason = c; }
    @Param("acc_time_column") public void timeColumn(String c) { colTime = c; }

    /** 0: acc_db_request() waits for its row; 1 (INSERT DELAYED) and 2 (async insert): it is queued (see {@link AccDb}). */
    @Param("db_insert_mode")
    public void dbInsertMode(int m) {
        if (m < 0 || m > 2) throw new IllegalArgumentException("db_insert_mode must be 0, 1 or 2");
        insertMode = m;
    }

    /** 1: a db_extra pv without value is written as NULL (else as an empty string). */
    @Param("acc_extra_nullable")
    public void accExtraNullable(int v) { extraNullable = v != 0; }

    // the default behaviour is what we implement; other values are refused rather than ignored
    @Param("early_media")
    public void earlyMedia(int v) { onlyOff(v, "early_media"); }

    @Param("report_ack")
    public void reportAck(int v) { onlyOff(v, "report_ack"); }

    @Param("report_cancels")
    public void reportCancels(int v) { onlyOff(v, "report_cancels"); }

    @Param("detect_direction")
    public void detectDirection(int v) { onlyOff(v, "detect_direction"); }

    private static void onlyOff(int v, String name) {
        if (v != 0) throw new IllegalArgumentException(name + "=" + v + " is not implemented (only 0)");
    }

    @Override
    public void init(ProxyServices services) {
        this.services = services;
        pv = services.api(PvModule.class, "acc", "pv");
        if (dbUrl != null) {
            tableAccName = tableName(tableAcc);
            tableMissedName = tableName(tableMissed);
            Database d = Databases.bind(services, "acc", dbUrl);
            warnOnVersion(d, tableAcc);
            warnOnVersion(d, tableMissed);
            db = new AccDb(d, new AccDb.Columns(colMethod, colFromTag, colToTag, colCallId, colSipCode, colSipReason, colTime),
                    extraNullable, services.statistics().counter("acc", "db_failed_rows"));
        } else {
            dbFlag = -1;
            dbMissedFlag = -1;
        }
        if (logFlag >= 0 || missedFlag >= 0 || failedFlag >= 0 || dbFlag >= 0 || dbMissedFlag >= 0) {
            services.api(TmEvents.class, "acc", "tm").addListener(new TmEvents.Listener() {
                @Override
                public void responseOut(Transaction t, int code, String reason, SipMessage reply, Branch winner) {
                    onResponseOut(t, code, reason, reply, winner);
                }

                @Override
                public void onFailure(Transaction t, int code, String reason, SipMessage reply, Branch winner) {
                    missed(t, code, reason, reply, winner);
                }
            });
        }
    }

    @Override
    public void shutdown() {
        if (db != null) db.close();
    }

    /** A table name may hold pseudo-variables (Kamailio's fixup_var_pve_str_12), evaluated per record. */
    private Function<MessageContext, String> tableName(String spec) {
        if (spec.indexOf('$') < 0) return c -> spec;
        return pv.compile(spec);
    }

    /** Kamailio's acc reads no version; a table that is not 5.6.3's gets a warning, not a refusal. */
    private static void warnOnVersion(Database d, String table) {
        Integer want = TABLE_VERSIONS.get(table);
        if (want == null) return;
        try {
            d.checkTableVersion(table, want);
        } catch (DbException e) {
            DIAG.warn("acc: {}", e.getMessage());
        }
    }

    private static boolean set(int flags, int flag) {
        return flag >= 0 && (flags & (1 << flag)) != 0;
    }

    /** acc_onreply: missed call first, then the record when should_acc_reply says so. */
    private void onResponseOut(Transaction t, int code, String reason, SipMessage reply, Branch winner) {
        if ("CANCEL".equals(t.method())) return; // report_cancels=0
        if (t.method().equals("INVITE") && code >= 300) missed(t, code, reason, reply, winner);
        int flags = t.flags();
        if (code < 200 || (code >= 300 && !set(flags, failedFlag))) return;
        boolean log = set(flags, logFlag), toDb = set(flags, dbFlag);
        if (!log && !toDb) return;
        MessageContext rq = branchContext(t, winner);
        AccCore core = core(rq, toTag(reply, t, false), Integer.toString(code), reason);
        if (log) log(AccLogLine.ANSWERED, rq, core);
        if (toDb) dbWrite(tableAccName, rq, core, false);
    }

    /**
     * A missed call is reported once: at the first failure, then its flags are cleared (as
     * Kamailio; both after writing, so one flag for log and DB writes both).
     */
    private void missed(Transaction t, int code, String reason, SipMessage reply, Branch winner) {
        if (!t.method().equals("INVITE")) return;
        int flags = t.flags();
        boolean log = set(flags, missedFlag), toDb = set(flags, dbMissedFlag);
        if (!log && !toDb) return;
        MessageContext rq = branchContext(t, winner);
        AccCore core = core(rq, toTag(reply, t, true), Integer.toString(code), reason);
        int reset = 0;
        if (log) {
            log(AccLogLine.MISSED, rq, core);
            reset |= 1 << missedFlag;
        }
        if (toDb) {
            dbWrite(tableMissedName, rq, core, false);
            reset |= 1 << dbMissedFlag;
        }
        t.setFlags(t.flags() & ~reset);
    }

    /** The request as relayed on that branch: $rU etc. read the branch's R-URI, as Kamailio sets new_uri; $avp the transaction's. */
    private MessageContext branchContext(Transaction t, Branch winner) {
        MessageContext rq = t.requestContext();
        SipMessage m = t.request().copy();
        if (winner != null && winner.uri() != null) m.setRequestUri(winner.uri());
        MessageContext c = new MessageContext(m, rq.received(), services);
        c.setFlags(t.flags());
        c.setDstUri(rq.dstUri());
        if (t.avps() != null) c.attach(AvpStore.class, t.avps()); // $avp in extras and table names: the transaction's
        return c;
    }

    /** The reply's To-tag; a local reply has the request's To (no tag), missed calls then take tm's tag. */
    private static String toTag(SipMessage reply, Transaction t, boolean missed) {
        String tag = null;
        try {
            NameAddr to = reply != null ? reply.to() : t.request().to();
            tag = to == null ? null : to.tag();
        } catch (SipParseException e) {
            // as Kamailio: an unparsable To gives an empty tag
        }
        if ((tag == null || tag.isEmpty()) && missed && reply == null) tag = t.localToTag();
        return tag == null || tag.isEmpty() ? null : tag;
    }

    /** acc_log_request("200 text"): the current request, code and reason from the comment. */
    @Export(routes = RouteType.ANY, returns = {1, -1})
    public int acc_log_request(MessageContext ctx, String comment) {
        AccCore core = requestCore(ctx, comment);
        if (core == null) return -1;
        log(AccLogLine.REQUEST, ctx, core);
        return 1;
    }

    /** acc_db_request("200 text", "table"): a row for the current request into that table. */
    @Export(routes = RouteType.ANY, returns = {1, -1})
    public int acc_db_request(MessageContext ctx, String comment, String table) {
        if (db == null) {
            DIAG.error("acc: db support not configured (no db_url)");
            return -1;
        }
        if (table.isEmpty() || table.length() >= DB_TABLE_NAME_SIZE) {
            DIAG.error("acc: bad acc db table name [{}]", table);
            return -1;
        }
        AccCore core = requestCore(ctx, comment);
        if (core == null) return -1;
        return dbWrite(c -> table, ctx, core, insertMode == 0) ? 1 : -1;
    }

    /** acc_request("200 text", "table"): the log line, and the row when db_url is set; the DB result wins. */
    @Export(routes = RouteType.ANY, returns = {1, -1})
    public int acc_request(MessageContext ctx, String comment, String table) {
        AccCore core = requestCore(ctx, comment);
        if (core == null) return -1;
        log(AccLogLine.REQUEST, ctx, core);
        if (db == null) return 1;
        if (table.isEmpty() || table.length() >= DB_TABLE_NAME_SIZE) return -1;
        return dbWrite(c -> table, ctx, core, insertMode == 0) ? 1 : -1;
    }

    /** The core values of a request accounted from the script; null when it is not a parsable request. */
    private static AccCore requestCore(MessageContext ctx, String comment) {
        if (!ctx.msg().isRequest() || comment.isEmpty()) return null;
        String code = null, reason = comment;
        if (comment.length() >= 3 && Character.isDigit(comment.charAt(0)) && Character.isDigit(comment.charAt(1))
                && Character.isDigit(comment.charAt(2))) {
            code = comment.substring(0, 3);
            reason = comment.substring(3).stripLeading();
        }
        String toTag;
        try {
            NameAddr to = ctx.msg().to();
            toTag = to == null ? null : to.tag();
        } catch (SipParseException e) {
            return null;
        }
        return core(ctx, toTag, code, reason);
    }

    private static AccCore core(MessageContext rq, String toTag, String code, String reason) {
        SipMessage m = rq.msg();
        String method = m.method(), fromTag = null;
        try {
            method = m.cseq().method();
            NameAddr from = m.from();
            fromTag = from == null ? null : from.tag();
        } catch (SipParseException e) {
            // fields stay as read so far
        }
        return new AccCore(method, fromTag, toTag == null || toTag.isEmpty() ? null : toTag, m.callId(), code, reason);
    }

    private boolean dbWrite(Function<MessageContext, String> table, MessageContext rq, AccCore core, boolean wait) {
        List<Map.Entry<String, String>> values = new ArrayList<>(dbExtra.size());
        for (AccExtra e : dbExtra) {
            Object v = pv.get(rq, e.pv());
            values.add(new java.util.AbstractMap.SimpleImmutableEntry<>(e.name(), v == null ? null : v.toString()));
        }
        return db.write(table.apply(rq), core, System.currentTimeMillis() / 1000, values, wait);
    }

    private void log(String what, MessageContext rq, AccCore core) {
        List<AccLogLine.Field> f = new ArrayList<>(6 + extra.size());
        f.add(new AccLogLine.Field("method", core.method()));
        f.add(new AccLogLine.Field("from_tag", core.fromTag()));
        f.add(new AccLogLine.Field("to_tag", core.toTag()));
        f.add(new AccLogLine.Field("call_id", core.callId()));
        f.add(new AccLogLine.Field("code", core.code()));
        f.add(new AccLogLine.Field("reason", core.reason()));
        for (AccExtra e : extra) {
            Object v = pv.get(rq, e.pv());
            f.add(new AccLogLine.Field(e.name(), v == null ? null : v.toString()));
        }
        String line = AccLogLine.format(what, System.currentTimeMillis() / 1000, f);
        MDC.put("syslog_facility", facility);
        try {
            if (logLevel <= ScriptLog.ERR) LOG.error(line);
            else if (logLevel == ScriptLog.WARN) LOG.warn(line);
            else if (logLevel <= ScriptLog.INFO) LOG.info(line);
            else LOG.debug(line);
        } finally {
            MDC.remove("syslog_facility");
        }
    }
}
