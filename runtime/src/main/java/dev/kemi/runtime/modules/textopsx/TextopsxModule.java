package dev.kemi.runtime.modules.textopsx;

import dev.kemi.api.Export;
import dev.kemi.api.LeadingPv;
import dev.kemi.api.Module;
import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.PosixRegex;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.sip.Header;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** textopsx: applying edits, body removal, header pruning, fnmatch, reply status rewriting. */
@Module(value = "textopsx", loadName = "textopsx")
public final class TextopsxModule {
    /** Headers keep_hf never removes (Kamailio's list). */
    private static final Set<String> KEPT = Set.of("from", "to", "call-id", "cseq", "via", "contact", "content-length",
            "content-type", "route", "record-route", "max-forwards");
    private static final int HF_VALUE_ROUTES = RouteType.REQUEST | RouteType.ONREPLY | RouteType.FAILURE | RouteType.BRANCH;

    /**
     * The message becomes its edited form, so later reads see the changes. Only in request_route
     * or on a reply, and not after record_route() (Kamailio: it breaks the conditional second
     * Record-Route).
     */
    @Export(routes = RouteType.REQUEST | RouteType.ONREPLY)
    public int msg_apply_changes(MessageContext ctx) {
        SipMessage m = ctx.msg();
        if (m.isRequest() && ctx.routeType() != RouteType.REQUEST) {
            ScriptLog.log(ScriptLog.ERR, "textopsx: invalid usage - not in request route or a reply");
            return -1;
        }
        if (!m.isModified()) return 1;
        try {
            ctx.replaceMessage(SipMessage.parse(m.toBytes()));
            return 1;
        } catch (SipParseException e) {
            ScriptLog.log(ScriptLog.ERR, "textopsx: couldn't update msg buffer content: " + e.getMessage());
            return -1;
        }
    }

    /** Deletes the body; Content-Length follows, Content-Type stays (as Kamailio's body lump). */
    @Export(routes = RouteType.ANY)
    public int remove_body(MessageContext ctx) {
        if (ctx.msg().bodyLength() > 0) ctx.msg().setBody(new byte[0], null);
        return 1;
    }

    /**
     * Removes every header but the dialog, routing and body ones (and, with a regex, those whose
     * name matches). Returns -1 like Kamailio 5.6.3's, even when it worked.
     */
    @Export(routes = RouteType.ANY)
    public int keep_hf(MessageContext ctx) {
        return keep(ctx, null);
    }

    @Export(natives = "keep_hf", routes = RouteType.ANY)
    public int keep_hf_re(MessageContext ctx, String regex) {
        if (regex == null || regex.isEmpty()) return keep(ctx, null);
        Pattern p;
        try {
            p = PosixRegex.compile(regex, PosixRegex.ICASE);
        } catch (IllegalArgumentException e) {
            ScriptLog.log(ScriptLog.ERR, "textopsx: failed to compile regex: " + regex);
            return -1;
        }
        return keep(ctx, p);
    }

    private static int keep(MessageContext ctx, Pattern keep) {
        for (Header h : ctx.msg().allHeaders()) {
            if (KEPT.contains(h.canonicalName().toLowerCase(Locale.ROOT))) continue;
            if (keep != null && keep.matcher(h.name()).find()) continue;
            ctx.msg().removeHeader(h);
        }
        return -1;
    }

    /** KEMI: 0 on a match, -1 otherwise (5.6.3 returns fnmatch's own 0; still so in later versions). */
    @Export(kemiOnly = true)
    public int fnmatch(MessageContext ctx, String value, String pattern) {
        return Fnmatch.matches(pattern, value, false) ? 0 : -1;
    }

    @Export(kemiOnly = true)
    public int fnmatch_ex(MessageContext ctx, String value, String pattern, String flags) {
        return Fnmatch.matches(pattern, value, caseFold(flags)) ? 0 : -1;
    }

    @Export(value = "fnmatch_native", natives = "fnmatch", nativeOnly = true)
    public int fnmatchNative(MessageContext ctx, String value, String pattern) {
        return Fnmatch.matches(pattern, value, false) ? 1 : -1;
    }

    @Export(value = "fnmatch_ex_native", natives = "fnmatch", nativeOnly = true)
    public int fnmatchNative(MessageContext ctx, String value, String pattern, String flags) {
        return Fnmatch.matches(pattern, value, caseFold(flags)) ? 1 : -1;
    }

    private static boolean caseFold(String flags) {
        return flags != null && !flags.isEmpty() && Character.toLowerCase(flags.charAt(0)) == 'i';
    }

    /**
     * Rewrites a received reply's status and reason before it is relayed. The class of a
     * provisional or 2xx reply cannot change (Kamailio's rule).
     */
    @Export(routes = RouteType.ONREPLY)
    public int change_reply_status(MessageContext ctx, int code, @LeadingPv String reason) {
        if (reason == null || reason.isEmpty()) {
            ScriptLog.log(ScriptLog.ERR, "textopsx: invalid reason parameter");
            return -1;
        }
        return changeStatus(ctx, code, reason);
    }

    @Export(routes = RouteType.ONREPLY)
    public int change_reply_status_code(MessageContext ctx, int code) {
        return changeStatus(ctx, code, null);
    }

    private static int changeStatus(MessageContext ctx, int code, String reason) {
        SipMessage m = ctx.msg();
        if (m.isRequest()) return -1;
        if (code < 100 || code > 699) {
            ScriptLog.log(ScriptLog.ERR, "textopsx: wrong status code: " + code);
            return -1;
        }
        int old = m.status();
        if ((code < 300 || old < 300) && code / 100 != old / 100) {
            ScriptLog.log(ScriptLog.ERR, "textopsx: the class of provisional or positive final replies cannot be changed");
            return -1;
        }
        String text = m.toString();
        int eol = text.indexOf("\r\n");
        String first = "SIP/2.0 " + code + " " + (reason != null ? reason : m.reason());
        try {
            ctx.replaceMessage(SipMessage.parse((first + text.substring(eol)).getBytes(StandardCharsets.UTF_8)));
            return 1;
        } catch (SipParseException | RuntimeException e) {
            return -1;
        }
    }
}
