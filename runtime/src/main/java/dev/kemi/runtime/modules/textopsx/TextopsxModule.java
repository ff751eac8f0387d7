package dev.kemi.runtime.modules.textopsx;

import dev.kemi.api.Export;
import dev.kemi.api.LeadingPv;
import dev.kemi.api.Module;
import dev.kemi.api.Pv;
import dev.kemi.api.PvExports;
import dev.kemi.api.PvSpec;
import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.HeaderEdits;
import dev.kemi.runtime.modules.PosixRegex;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.sip.Header;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import com.google.re2j.Pattern;

/** textopsx: applying edits, body removal, header pruning, fnmatch, reply status rewriting. */
@Module(value = "textopsx", loadName = "textopsx")
public final class TextopsxModule implements PvExports {
    /** Headers keep_hf never removes (Kamailio's list). */
    private static final Set<String> KEPT = Set.of("from", "to", "call-id", "cseq", "via", "contact", "content-length",
            "content-type", "route", "record-route", "max-forwards");

    /**
     * The message becomes its edited form, so later reads see the changes. Only in request_route
     * or on a reply, and not after record_route() (Kamailio: it breaks the conditional second
     * Record-Route).
     */
    @Export(routes = RouteType.REQUEST | RouteType.ONREPLY, returns = {1, -1})
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
    @Export(routes = RouteType.ANY, returns = {1, -1})
    public int remove_body(MessageContext ctx) {
        if (ctx.msg().bodyLength() > 0) ctx.msg().setBody(new byte[0], null);
        return 1;
    }

    /**
     * Removes every header but the dialog, routing and body ones (and, with a regex, those whose
     * name matches). Returns -1 like Kamailio 5.6.3's, even when it worked.
     */
    @Export(routes = RouteType.ANY, returns = {-1})
    public int keep_hf(MessageContext ctx) {
        return keep(ctx, null);
    }

    @Export(natives = "keep_hf", routes = RouteType.ANY, returns = {-1})
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
    @Export(kemiOnly = true, returns = {0, -1})
    public int fnmatch(MessageContext ctx, String value, String pattern) {
        return Fnmatch.matches(pattern, value, false) ? 0 : -1;
    }

    @Export(kemiOnly = true, returns = {0, -1})
    public int fnmatch_ex(MessageContext ctx, String value, String pattern, String flags) {
        return Fnmatch.matches(pattern, value, caseFold(flags)) ? 0 : -1;
    }

    @Export(value = "fnmatch_native", natives = "fnmatch", nativeOnly = true, returns = {1, -1})
    public int fnmatchNative(MessageContext ctx, String value, String pattern) {
        return Fnmatch.matches(pattern, value, false) ? 1 : -1;
    }

    @Export(value = "fnmatch_ex_native", natives = "fnmatch", nativeOnly = true, returns = {1, -1})
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
    @Export(routes = RouteType.ONREPLY, returns = {1, -1})
    public int change_reply_status(MessageContext ctx, int code, @LeadingPv String reason) {
        if (reason == null || reason.isEmpty()) {
            ScriptLog.log(ScriptLog.ERR, "textopsx: invalid reason parameter");
            return -1;
        }
        return changeStatus(ctx, code, reason);
    }

    @Export(routes = RouteType.ONREPLY, returns = {1, -1})
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

    // ---- header iterators ($hfitname / $hfitbody)
    @Export(routes = RouteType.ANY, returns = {1, -1})
    public int hf_iterator_start(MessageContext ctx, String name) {
        Iterators its = Iterators.of(ctx);
        if (!its.hf.containsKey(name) && its.hf.size() >= Iterators.MAX) {
            ScriptLog.log(ScriptLog.ERR, "textopsx: no iterator available - max number is " + Iterators.MAX);
            return -1;
        }
        its.hf.put(name, new Iterators.Hf());
        return ctx.msg().allHeaders().isEmpty() ? -1 : 1;
    }

    @Export(routes = RouteType.ANY, returns = {1, -1})
    public int hf_iterator_next(MessageContext ctx, String name) {
        Iterators.Hf it = hf(ctx, name);
        if (it == null || it.end) return -1;
        it.index++;
        if (it.index >= ctx.msg().allHeaders().size()) {
            it.end = true;
            return -1;
        }
        return 1;
    }

    @Export(routes = RouteType.ANY, returns = {1, -1})
    public int hf_iterator_prev(MessageContext ctx, String name) {
        Iterators.Hf it = hf(ctx, name);
        if (it == null || it.end) return -1;
        if (it.index <= 0) return hf_iterator_start(ctx, name);
        it.index--;
        return 1;
    }

    @Export(routes = RouteType.ANY, returns = {1, -1})
    public int hf_iterator_end(MessageContext ctx, String name) {
        Iterators.Hf it = hf(ctx, name);
        if (it == null) return -1;
        it.index = -1;
        it.end = false;
        return 1;
    }

    @Export(routes = RouteType.ANY, returns = {1, -1})
    public int hf_iterator_rm(MessageContext ctx, String name) {
        Header h = Iterators.current(ctx, hf(ctx, name));
        if (h == null) return -1;
        ctx.msg().removeHeader(h);
        return 1;
    }

    /** Adds the text as given (with its CRLF) after the current header. */
    @Export(routes = RouteType.ANY, returns = {1, -1})
    public int hf_iterator_append(MessageContext ctx, String name, String text) {
        Header h = Iterators.current(ctx, hf(ctx, name));
        if (h == null) return -1;
        ctx.msg().insertAfter(h, text);
        return 1;
    }

    @Export(routes = RouteType.ANY, returns = {1, -1})
    public int hf_iterator_insert(MessageContext ctx, String name, String text) {
        Header h = Iterators.current(ctx, hf(ctx, name));
        if (h == null) return -1;
        ctx.msg().insertBefore(h, text);
        return 1;
    }

    @Export(kemiOnly = true)
    public Object hf_iterator_hname(MessageContext ctx, String name) {
        Header h = Iterators.current(ctx, hf(ctx, name));
        return h == null ? null : h.name();
    }

    @Export(kemiOnly = true)
    public Object hf_iterator_hbody(MessageContext ctx, String name) {
        Header h = Iterators.current(ctx, hf(ctx, name));
        return h == null ? null : h.value();
    }

    private static Iterators.Hf hf(MessageContext ctx, String name) {
        Iterators.Hf it = Iterators.of(ctx).hf.get(name);
        if (it == null) ScriptLog.log(ScriptLog.ERR, "textopsx: iterator not available [" + name + "]");
        return it;
    }

    // ---- body line iterators ($blitval: the line with its newline)
    @Export(routes = RouteType.ANY, returns = {1, -1})
    public int bl_iterator_start(MessageContext ctx, String name) {
        Iterators its = Iterators.of(ctx);
        if (!its.bl.containsKey(name) && its.bl.size() >= Iterators.MAX) return -1;
        Iterators.Bl it = new Iterators.Bl();
        it.body = ctx.msg().body();
        its.bl.put(name, it);
        return it.body.length == 0 ? -1 : 1;
    }

    @Export(routes = RouteType.ANY, returns = {1, -1})
    public int bl_iterator_next(MessageContext ctx, String name) {
        Iterators.Bl it = Iterators.of(ctx).bl.get(name);
        if (it == null || it.end) return -1;
        int p = it.start < 0 ? 0 : it.start + it.len;
        if (p >= it.body.length) {
            it.start = -1;
            it.len = 0;
            it.end = true;
            return -1;
        }
        int e = p;
        while (e < it.body.length && it.body[e] != '\n') e++;
        it.start = p;
        it.len = Math.min(e + 1, it.body.length) - p;
        return 1;
    }

    @Export(routes = RouteType.ANY, returns = {1, -1})
    public int bl_iterator_end(MessageContext ctx, String name) {
        Iterators.Bl it = Iterators.of(ctx).bl.get(name);
        if (it == null) return -1;
        it.start = -1;
        it.len = 0;
        it.end = false;
        return 1;
    }

    @Export(routes = RouteType.ANY, returns = {1, -1})
    public int bl_iterator_rm(MessageContext ctx, String name) {
        Iterators its = Iterators.of(ctx);
        Iterators.Bl it = its.bl.get(name);
        if (it == null || it.start < 0) return -1;
        its.blDeletes.add(new int[] {it.start, it.start + it.len});
        return rebuildBody(ctx, its, it.body);
    }

    @Export(routes = RouteType.ANY, returns = {1, -1})
    public int bl_iterator_append(MessageContext ctx, String name, String text) {
        return blInsert(ctx, name, text, true);
    }

    @Export(routes = RouteType.ANY, returns = {1, -1})
    public int bl_iterator_insert(MessageContext ctx, String name, String text) {
        return blInsert(ctx, name, text, false);
    }

    @Export(kemiOnly = true)
    public Object bl_iterator_value(MessageContext ctx, String name) {
        return Iterators.line(Iterators.of(ctx).bl.get(name));
    }

    private static int blInsert(MessageContext ctx, String name, String text, boolean after) {
        Iterators its = Iterators.of(ctx);
        Iterators.Bl it = its.bl.get(name);
        if (it == null || it.start < 0) return -1;
        its.blInserts.add(new Object[] {after ? it.start + it.len : it.start, text});
        return rebuildBody(ctx, its, it.body);
    }

    /** The received body with every line removal and insertion so far, as the message's new body. */
    private static int rebuildBody(MessageContext ctx, Iterators its, byte[] body) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i <= body.length; i++) {
            for (Object[] ins : its.blInserts) if ((Integer) ins[0] == i) out.append((String) ins[1]);
            if (i == body.length) break;
            boolean deleted = false;
            for (int[] d : its.blDeletes) deleted |= i >= d[0] && i < d[1];
            if (!deleted) out.append((char) (body[i] & 0xff));
        }
        ctx.msg().setBody(out.toString().getBytes(StandardCharsets.ISO_8859_1), null);
        return 1;
    }

    @Override
    public java.util.Set<String> pvNames() {
        return Set.of("hfitname", "hfitbody", "blitval");
    }

    @Override
    public Pv resolvePv(PvSpec spec) {
        String name = spec.param();
        if (name == null || name.isEmpty()) throw new IllegalArgumentException(spec + " needs an iterator name");
        return switch (spec.name()) {
            case "hfitname" -> ctx -> {
                Header h = Iterators.current((MessageContext) ctx, Iterators.of((MessageContext) ctx).hf.get(name));
                return h == null ? null : h.name();
            };
            case "hfitbody" -> ctx -> {
                Header h = Iterators.current((MessageContext) ctx, Iterators.of((MessageContext) ctx).hf.get(name));
                return h == null ? null : h.value();
            };
            default -> ctx -> Iterators.line(Iterators.of((MessageContext) ctx).bl.get(name));
        };
    }

    // ---- header values (the header name alone: [index] and .param forms are not implemented)
    private static final int HF_VALUE_ROUTES = RouteType.REQUEST | RouteType.ONREPLY | RouteType.FAILURE | RouteType.BRANCH;

    /** 1 if a header of that name has the value (case-insensitive), -1 otherwise. */
    @Export(routes = HF_VALUE_ROUTES, returns = {1, -1})
    public int hf_value_exists(MessageContext ctx, String hname, String value) {
        if (!plainName(hname) || value.isEmpty()) return -1;
        for (Header h : HeaderEdits.named(ctx.msg(), hname)) {
            for (HfValues.Value v : HfValues.split(h.value())) if (v.text().equalsIgnoreCase(value)) return 1;
        }
        return -1;
    }

    /** Adds the value to the first header of that name (",value"), or a new header, unless it is there already. */
    @Export(routes = HF_VALUE_ROUTES, returns = {1, -1})
    public int include_hf_value(MessageContext ctx, String hname, String value) {
        if (!plainName(hname) || value.isEmpty()) return -1;
        if (hf_value_exists(ctx, hname, value) > 0) return 1;
        List<Header> hs = HeaderEdits.named(ctx.msg(), hname);
        if (hs.isEmpty()) {
            ctx.msg().appendHeader(hname + ": " + value + "\r\n");
        } else {
            Header h = hs.get(0);
            ctx.msg().replaceHeader(h, h.name() + ": " + h.value() + "," + value + "\r\n");
        }
        return 1;
    }

    /** Removes the value from every header of that name. */
    @Export(routes = HF_VALUE_ROUTES, returns = {1, -1})
    public int exclude_hf_value(MessageContext ctx, String hname, String value) {
        if (!plainName(hname) || value.isEmpty()) return -1;
        for (Header h : HeaderEdits.named(ctx.msg(), hname)) {
            String rest = HfValues.without(h.value(), value);
            if (rest != null) ctx.msg().replaceHeader(h, h.name() + ": " + rest + "\r\n");
        }
        return 1;
    }

    private static boolean plainName(String hname) {
        if (hname.indexOf('[') >= 0 || hname.indexOf('.') >= 0) {
            ScriptLog.log(ScriptLog.ERR, "textopsx: header name with [index] or .param not implemented: " + hname);
            return false;
        }
        return !hname.isEmpty();
    }
}
