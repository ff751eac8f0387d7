package dev.kemi.runtime.modules.acc;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.api.Param;
import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.core.RuntimeModule;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.modules.pv.PvModule;
import dev.kemi.runtime.modules.tm.Branch;
import dev.kemi.runtime.modules.tm.TmEvents;
import dev.kemi.runtime.modules.tm.Transaction;
import dev.kemi.runtime.sip.NameAddr;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * acc, syslog backend: completed transactions flagged with log_flag, failed ones with
 * failed_transaction_flag, missed calls with log_missed_flag, and acc_log_request(), written as
 * Kamailio 5.6.3's line on the logger {@code kemi.acc} at log_level (the facility is in the MDC
 * as {@code syslog_facility} for an appender that routes by it). The DB backend is not here.
 */
@Module(value = "acc", loadName = "acc")
public final class AccModule implements RuntimeModule {
    /** The acc line's logger: an appender of its own can capture it (it is the product, not a diagnostic). */
    public static final String LOGGER = "kemi.acc";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
    private static final Set<String> FACILITIES = Set.of("LOG_AUTH", "LOG_CRON", "LOG_DAEMON", "LOG_KERN", "LOG_LOCAL0",
            "LOG_LOCAL1", "LOG_LOCAL2", "LOG_LOCAL3", "LOG_LOCAL4", "LOG_LOCAL5", "LOG_LOCAL6", "LOG_LOCAL7", "LOG_LPR",
            "LOG_MAIL", "LOG_NEWS", "LOG_USER", "LOG_UUCP", "LOG_AUTHPRIV", "LOG_FTP", "LOG_SYSLOG");

    private int logFlag = -1, missedFlag = -1, failedFlag = -1;
    private int logLevel = ScriptLog.NOTICE;
    private String facility = "LOG_DAEMON";
    private List<AccExtra> extra = List.of();
    private PvModule pv;
    private ProxyServices services;

    /** One log_extra entry: name=$pv. */
    record AccExtra(String name, String pv) {}

    @Param("log_flag")
    public void logFlag(int f) { logFlag = flag(f, "log_flag"); }

    @Param("log_missed_flag")
    public void logMissedFlag(int f) { missedFlag = flag(f, "log_missed_flag"); }

    @Param("failed_transaction_flag")
    public void failedTransactionFlag(int f) { failedFlag = flag(f, "failed_transaction_flag"); }

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

    /** "name=$pv;name2=$pv2" (newlines and blanks around entries allowed). */
    @Param("log_extra")
    public void logExtra(String spec) {
        List<AccExtra> out = new ArrayList<>();
        for (String part : spec.split(";")) {
            String p = part.strip();
            if (p.isEmpty()) continue;
            int eq = p.indexOf('=');
            if (eq <= 0 || !p.substring(eq + 1).strip().startsWith("$")) {
                throw new IllegalArgumentException("log_extra: bad entry '" + p + "' (name=$pv expected)");
            }
            out.add(new AccExtra(p.substring(0, eq).strip(), p.substring(eq + 1).strip()));
        }
        extra = List.copyOf(out);
    }

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
        if (logFlag >= 0 || missedFlag >= 0 || failedFlag >= 0) {
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

    private static boolean set(int flags, int flag) {
        return flag >= 0 && (flags & (1 << flag)) != 0;
    }

    private void onResponseOut(Transaction t, int code, String reason, SipMessage reply, Branch winner) {
        if ("CANCEL".equals(t.method())) return; // report_cancels=0
        if (t.method().equals("INVITE") && code >= 300) missed(t, code, reason, reply, winner);
        int flags = t.flags();
        boolean account = code >= 300 ? set(flags, failedFlag) : code >= 200 && set(flags, logFlag);
        if (!account) return;
        write(AccLogLine.ANSWERED, branchContext(t, winner), toTag(reply, t, false), Integer.toString(code), reason);
    }

    /** A missed call is reported once: at the first failure, then the flag is cleared (as Kamailio). */
    private void missed(Transaction t, int code, String reason, SipMessage reply, Branch winner) {
        if (!t.method().equals("INVITE") || !set(t.flags(), missedFlag)) return;
        write(AccLogLine.MISSED, branchContext(t, winner), toTag(reply, t, true), Integer.toString(code), reason);
        t.setFlags(t.flags() & ~(1 << missedFlag));
    }

    /** The request as relayed on that branch: $rU etc. read the branch's R-URI, as Kamailio sets new_uri. */
    private MessageContext branchContext(Transaction t, Branch winner) {
        MessageContext rq = t.requestContext();
        SipMessage m = t.request().copy();
        if (winner != null && winner.uri() != null) m.setRequestUri(winner.uri());
        MessageContext c = new MessageContext(m, rq.received(), services);
        c.flags = t.flags();
        c.dstUri = rq.dstUri;
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
    @Export(routes = RouteType.ANY)
    public int acc_log_request(MessageContext ctx, String comment) {
        if (!ctx.msg().isRequest()) return -1;
        String code = null, reason = comment;
        if (comment.length() >= 3 && Character.isDigit(comment.charAt(0)) && Character.isDigit(comment.charAt(1))
                && Character.isDigit(comment.charAt(2))) {
            code = comment.substring(0, 3);
            reason = comment.substring(3).stripLeading();
        }
        String toTag = null;
        try {
            NameAddr to = ctx.msg().to();
            toTag = to == null ? null : to.tag();
        } catch (SipParseException e) {
            return -1;
        }
        write(AccLogLine.REQUEST, ctx, toTag, code, reason);
        return 1;
    }

    private void write(String what, MessageContext rq, String toTag, String code, String reason) {
        SipMessage m = rq.msg();
        List<AccLogLine.Field> f = new ArrayList<>(6 + extra.size());
        String method = m.method(), fromTag = null;
        try {
            method = m.cseq().method();
            NameAddr from = m.from();
            fromTag = from == null ? null : from.tag();
        } catch (SipParseException e) {
            // fields stay as read so far
        }
        f.add(new AccLogLine.Field("method", method));
        f.add(new AccLogLine.Field("from_tag", fromTag));
        f.add(new AccLogLine.Field("to_tag", toTag));
        f.add(new AccLogLine.Field("call_id", m.callId()));
        f.add(new AccLogLine.Field("code", code));
        f.add(new AccLogLine.Field("reason", reason));
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
