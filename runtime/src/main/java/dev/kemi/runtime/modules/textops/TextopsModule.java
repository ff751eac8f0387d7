package dev.kemi.runtime.modules.textops;

import dev.kemi.api.Export;
import dev.kemi.api.RouteType;
import dev.kemi.api.Module;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.HeaderEdits;
import dev.kemi.runtime.modules.PosixRegex;
import dev.kemi.runtime.modules.RegexCache;
import dev.kemi.runtime.modules.core.UriText;
import dev.kemi.runtime.modules.hdr.HdrModule;
import dev.kemi.runtime.modules.sl.ReplyExtras;
import dev.kemi.runtime.sip.Header;
import dev.kemi.runtime.sip.SipMessage;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

/**
 * Text operations (KSR.textops and native textops). Regular expressions are POSIX extended,
 * case-insensitive for searches; searches read the message as received. subst/replace work from
 * the first header to the end of the body (first line excluded), the *_body variants on the body.
 */
@Module(value = "textops", loadName = "textops")
public final class TextopsModule {
    private static final int SEARCH = PosixRegex.ICASE | PosixRegex.NEWLINE;
    private final RegexCache regexes = new RegexCache();

    private static int rc(boolean b) { return b ? 1 : -1; }

    private static String whole(SipMessage m) {
        return new String(m.rawBytes(), StandardCharsets.ISO_8859_1);
    }

    /** The body as edited so far: successive body edits add up, as Kamailio's lumps on distinct parts do. */
    private static String editedBody(SipMessage m) {
        return new String(m.currentBody(), StandardCharsets.ISO_8859_1);
    }

    private static String body(SipMessage m) {
        byte[] b = m.body();
        return b == null ? "" : new String(b, StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    // ---- searches (received message)
    @Export(returns = {1, -1})
    public int search(MessageContext ctx, String re) {
        if (re.isEmpty()) return 1;
        return rc(regexes.compile(re, SEARCH).matcher(whole(ctx.msg())).find());
    }

    @Export(returns = {1, -1})
    public int search_body(MessageContext ctx, String re) {
        if (re.isEmpty()) return 1;
        String b = body(ctx.msg());
        return rc(!b.isEmpty() && regexes.compile(re, SEARCH).matcher(b).find());
    }

    /** flags: "f" first field, "l" last, "" any. */
    @Export(returns = {1, -1})
    public int search_hf(MessageContext ctx, String hname, String re, String flags) {
        java.util.List<Header> hs = HeaderEdits.named(ctx.msg(), hname);
        if (hs.isEmpty()) return -1;
        Pattern p = regexes.compile(re, SEARCH);
        if (flags.startsWith("f")) hs = hs.subList(0, 1);
        else if (flags.startsWith("l")) hs = hs.subList(hs.size() - 1, hs.size());
        for (Header h : hs) if (p.matcher(h.value()).find()) return 1;
        return -1;
    }

    /** Inserts text after the first match in the header fields. */
    @Export(returns = {1, -1})
    public int search_append(MessageContext ctx, String re, String text) {
        Pattern p = regexes.compile(re, SEARCH);
        return rc(HeaderBlock.rewrite(ctx, false, field -> {
            Matcher m = p.matcher(field);
            return m.find() ? field.substring(0, m.end()) + text + field.substring(m.end()) : null;
        }) > 0);
    }

    @Export(returns = {1, -1})
    public int search_append_body(MessageContext ctx, String re, String text) {
        String b = body(ctx.msg());
        Matcher m = regexes.compile(re, SEARCH).matcher(b);
        if (!m.find()) return -1;
        ctx.msg().setBody(bytes(b.substring(0, m.end()) + text + b.substring(m.end())), null);
        return 1;
    }

    @Export(returns = {1, -1})
    public int is_present_hf(MessageContext ctx, String hname) {
        return rc(ctx.msg().hasHeader(hname));
    }

    @Export(returns = {1, -1})
    public int is_present_hf_re(MessageContext ctx, String re) {
        Pattern p = regexes.compile(re, SEARCH);
        for (Header h : ctx.msg().allHeaders()) if (p.matcher(h.name()).find()) return 1;
        return -1;
    }

    // ---- header edits
    @Export(natives = "append_hf", nativeOnly = true, returns = {1})
    public int appendHf(MessageContext ctx, String text) {
        ctx.msg().appendHeader(HeaderEdits.line(text));
        return 1;
    }

    @Export(natives = "append_hf", nativeOnly = true, returns = {1})
    public int appendHf(MessageContext ctx, String text, String after) {
        ctx.msg().appendHeaderAfter(HeaderEdits.line(text), after);
        return 1;
    }

    @Export(natives = "insert_hf", nativeOnly = true, returns = {1})
    public int insertHf(MessageContext ctx, String text) {
        ctx.msg().insertHeader(HeaderEdits.line(text));
        return 1;
    }

    @Export(natives = "insert_hf", nativeOnly = true, returns = {1})
    public int insertHf(MessageContext ctx, String text, String before) {
        ctx.msg().insertHeaderBefore(HeaderEdits.line(text), before);
        return 1;
    }

    /** KEMI: 1 even when nothing was removed (the same C function as KSR.hdr.remove). */
    @Export(kemiOnly = true, returns = {1})
    public int remove_hf(MessageContext ctx, String hname) {
        HdrModule.removeAll(ctx, hname);
        return 1;
    }

    /** Native: -1 when nothing was removed. */
    @Export(natives = "remove_hf", nativeOnly = true, returns = {1, -1})
    public int removeHfNative(MessageContext ctx, String hname) {
        return rc(HdrModule.removeAll(ctx, hname) > 0);
    }

    @Export(returns = {1, -1})
    public int remove_hf_re(MessageContext ctx, String re) {
        Pattern p = regexes.compile(re, SEARCH);
        int n = 0;
        for (Header h : ctx.msg().allHeaders()) {
            if (p.matcher(h.name()).find()) {
                ctx.msg().removeHeader(h);
                n++;
            }
        }
        return rc(n > 0);
    }

    /** Removes the idx-th field of that name (negative: from the end). */
    @Export(returns = {1, -1})
    public int remove_hf_idx(MessageContext ctx, String hname, int idx) {
        java.util.List<Header> hs = HeaderEdits.named(ctx.msg(), hname);
        int i = idx < 0 ? hs.size() + idx : idx;
        if (i < 0 || i >= hs.size()) return -1;
        ctx.msg().removeHeader(hs.get(i));
        return 1;
    }

    @Export(natives = "append_to_reply", nativeOnly = true, routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.BRANCH, returns = {1})
    public int appendToReply(MessageContext ctx, String text) {
        ReplyExtras.of(ctx).addHeaderText(text);
        return 1;
    }

    // ---- substitutions
    /** Over the header fields, then the body (as Kamailio, from the first header to the end). */
    @Export(returns = {1, -1})
    public int subst(MessageContext ctx, String expr) {
        SedExpression e = SedExpression.parse(expr, regexes);
        int[] n = {0};
        int inHeaders = HeaderBlock.rewrite(ctx, e.global(), field -> {
            String out = e.apply(field, n);
            return n[0] > 0 ? out : null;
        });
        int inBody = 0;
        if (inHeaders == 0 || e.global()) {
            String b = body(ctx.msg());
            String out = b.isEmpty() ? b : e.apply(b, n);
            if (!b.isEmpty() && n[0] > 0) {
                ctx.msg().setBody(bytes(out), null);
                inBody = n[0];
            }
        }
        return rc(inHeaders + inBody > 0);
    }

    /** subst on the fields of one header name; flags "a" all, "l" last, else the first. */
    @Export(returns = {1, -1})
    public int subst_hf(MessageContext ctx, String hname, String expr, String flags) {
        SedExpression e = SedExpression.parse(expr, regexes);
        java.util.List<Header> hs = HeaderEdits.named(ctx.msg(), hname);
        if (hs.isEmpty()) return -1;
        if (flags.startsWith("l")) hs = hs.subList(hs.size() - 1, hs.size());
        else if (!flags.startsWith("a")) hs = hs.subList(0, 1);
        java.util.Set<Integer> targets = new java.util.HashSet<>();
        for (Header h : hs) targets.add(h.start());
        // the expression applies to the header value only, as Kamailio's subst_hf
        int[] n = {0};
        int[] i = {-1};
        java.util.List<Header> all = ctx.msg().allHeaders();
        int matched = HeaderBlock.rewrite(ctx, true, field -> {
            Header h = all.get(++i[0]);
            if (!targets.contains(h.start())) return null;
            int colon = field.indexOf(':');
            String out = e.apply(h.value(), n);
            return n[0] > 0 ? field.substring(0, colon + 1) + " " + out + "\r\n" : null;
        });
        return rc(matched > 0);
    }

    /** Removes the fields whose name matches the first expression and not the second. */
    @Export(returns = {1, -1})
    public int remove_hf_exp(MessageContext ctx, String match, String skip) {
        Pattern m = regexes.compile(match, SEARCH);
        Pattern k = skip == null || skip.isEmpty() ? null : regexes.compile(skip, SEARCH);
        int n = 0;
        for (Header h : ctx.msg().allHeaders()) {
            if (m.matcher(h.name()).find() && (k == null || !k.matcher(h.name()).find())) {
                ctx.msg().removeHeader(h);
                n++;
            }
        }
        return rc(n > 0);
    }

    /** replace over the header fields only. */
    @Export(returns = {1, -1})
    public int replace_hdrs(MessageContext ctx, String re, String text) {
        Pattern p = regexes.compile(re, SEARCH);
        String repl = Matcher.quoteReplacement(text);
        return rc(HeaderBlock.rewrite(ctx, false, field -> {
            Matcher m = p.matcher(field);
            return m.find() ? m.replaceFirst(repl) : null;
        }) > 0);
    }

    @Export(routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.BRANCH | RouteType.ONREPLY, returns = {1, -1})
    public int subst_uri(MessageContext ctx, String expr) {
        if (!ctx.msg().isRequest()) return -1;
        int[] n = {0};
        String out = SedExpression.parse(expr, regexes).apply(ctx.msg().requestUri(), n);
        if (n[0] == 0) return -1;
        ctx.msg().setRequestUri(out);
        return 1;
    }

    @Export(routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.BRANCH | RouteType.ONREPLY, returns = {1, -1})
    public int subst_user(MessageContext ctx, String expr) {
        if (!ctx.msg().isRequest()) return -1;
        UriText u = UriText.split(ctx.msg().requestUri());
        if (u == null) return -1;
        int[] n = {0};
        String user = SedExpression.parse(expr, regexes).apply(u.user(), n);
        if (n[0] == 0) return -1;
        ctx.msg().setRequestUri(u.withUser(user).toString());
        return 1;
    }

    @Export(returns = {1, -1})
    public int subst_body(MessageContext ctx, String expr) {
        int[] n = {0};
        String out = SedExpression.parse(expr, regexes).apply(editedBody(ctx.msg()), n);
        if (n[0] == 0) return -1;
        ctx.msg().setBody(bytes(out), null);
        return 1;
    }

    /** Header fields first, then the body (only the first match overall unless all). */
    private int replaceHeaders(MessageContext ctx, String re, String text, boolean all) {
        Pattern p = regexes.compile(re, SEARCH);
        String repl = Matcher.quoteReplacement(text);
        int n = HeaderBlock.rewrite(ctx, all, field -> {
            Matcher m = p.matcher(field);
            if (!m.find()) return null;
            return all ? m.replaceAll(repl) : m.replaceFirst(repl);
        });
        if (n == 0 || all) {
            if (replaceBody(ctx, re, text, all) > 0) n++;
        }
        return rc(n > 0);
    }

    private int replaceBody(MessageContext ctx, String re, String text, boolean all) {
        Matcher m = regexes.compile(re, SEARCH).matcher(editedBody(ctx.msg()));
        if (!m.find()) return -1;
        String repl = Matcher.quoteReplacement(text);
        ctx.msg().setBody(bytes(all ? m.replaceAll(repl) : m.replaceFirst(repl)), null);
        return 1;
    }

    @Export(returns = {1, -1})
    public int replace(MessageContext ctx, String re, String text) { return replaceHeaders(ctx, re, text, false); }

    @Export(returns = {1, -1})
    public int replace_all(MessageContext ctx, String re, String text) { return replaceHeaders(ctx, re, text, true); }

    @Export(returns = {1, -1})
    public int replace_body(MessageContext ctx, String re, String text) { return replaceBody(ctx, re, text, false); }

    @Export(returns = {1, -1})
    public int replace_body_all(MessageContext ctx, String re, String text) { return replaceBody(ctx, re, text, true); }

    // ---- bodies
    @Export(routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.BRANCH | RouteType.ONREPLY, returns = {1, -1})
    public int set_body(MessageContext ctx, String body, String contentType) {
        if (body == null || body.isEmpty()) return -1;
        ctx.msg().setBody(bytes(body), contentType == null || contentType.isEmpty() ? null : contentType);
        return 1;
    }

    @Export(routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.BRANCH, returns = {1, -1})
    public int set_reply_body(MessageContext ctx, String body, String contentType) {
        if (body == null || body.isEmpty()) return -1;
        ReplyExtras x = ReplyExtras.of(ctx);
        x.body = bytes(body);
        x.contentType = contentType == null || contentType.isEmpty() ? null : contentType;
        return 1;
    }

    /** 1 if the message has a non-empty body. */
    @Export(returns = {1, -1})
    public int has_body(MessageContext ctx) {
        byte[] b = ctx.msg().body();
        return rc(b != null && b.length > 0);
    }

    /** Body of this MIME type (no Content-Type counts as application/sdp); multipart parts count. */
    @Export(natives = "has_body", returns = {1, -1})
    public int has_body_type(MessageContext ctx, String mime) {
        if (has_body(ctx) < 0) return -1;
        String ct = ctx.msg().contentType();
        String want = mime.trim().toLowerCase(Locale.ROOT);
        String type = ct == null ? "application/sdp" : ct.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (type.equals(want)) return 1;
        if (type.startsWith("multipart/")) {
            return rc(Pattern.compile("(?im)^content-type:\\s*" + Pattern.quote(want) + "\\b")
                    .matcher(body(ctx.msg())).find());
        }
        return -1;
    }

    /** 1 if an audio stream is sendonly/inactive or has connection address 0.0.0.0. */
    @Export(returns = {1, -1})
    public int is_audio_on_hold(MessageContext ctx) {
        if (has_body_type(ctx, "application/sdp") < 0) return -1;
        boolean session = true;
        boolean audio = false;
        boolean sessionHold = false;
        boolean hold = false;
        for (String line : body(ctx.msg()).split("\r\n|\n")) {
            if (line.startsWith("m=")) {
                if (audio && hold) return 1;
                session = false;
                audio = line.startsWith("m=audio");
                hold = sessionHold;
                continue;
            }
            boolean h = line.equals("a=sendonly") || line.equals("a=inactive") || line.matches("c=IN IP4 0\\.0\\.0\\.0.*");
            if (session && h) sessionHold = true;
            else if (!session && h) hold = true;
            else if (!session && (line.equals("a=sendrecv") || line.equals("a=recvonly"))) hold = false;
        }
        return rc(audio && hold);
    }

    // ---- string helpers
    @Export(returns = {1, -1})
    public int in_list(MessageContext ctx, String subject, String list, String sep) {
        if (sep.isEmpty()) return -1;
        for (String item : list.split(Pattern.quote(sep.substring(0, 1)))) {
            if (item.trim().equals(subject)) return 1;
        }
        return -1;
    }

    @Export(returns = {1, -1})
    public int in_list_prefix(MessageContext ctx, String subject, String list, String sep) {
        if (sep.isEmpty()) return -1;
        for (String item : list.split(Pattern.quote(sep.substring(0, 1)))) {
            String t = item.trim();
            if (!t.isEmpty() && subject.startsWith(t)) return 1;
        }
        return -1;
    }

    /** 1 equal, -1 first greater, -2 first smaller. */
    @Export(returns = {-1, -2})
    public int cmp_str(MessageContext ctx, String a, String b) {
        int c = a.compareTo(b);
        return c == 0 ? 1 : c > 0 ? -1 : -2;
    }

    @Export(returns = {-1, -2})
    public int cmp_istr(MessageContext ctx, String a, String b) {
        int c = a.compareToIgnoreCase(b);
        return c == 0 ? 1 : c > 0 ? -1 : -2;
    }

    @Export(returns = {1, -1})
    public int starts_with(MessageContext ctx, String s, String prefix) { return rc(s.startsWith(prefix)); }

    @Export(returns = {1, -1})
    public int ends_with(MessageContext ctx, String s, String suffix) { return rc(s.endsWith(suffix)); }

    @Export(returns = {1, -1})
    public int search_str(MessageContext ctx, String s, String re) {
        return rc(regexes.compile(re, SEARCH).matcher(s).find());
    }

    /** Position of the needle plus one (so a match is positive), -1 if absent. */
    @Export(intValue = true, returns = {-1})
    public int str_find(MessageContext ctx, String s, String needle) {
        int i = s.indexOf(needle);
        return i < 0 ? -1 : i + 1;
    }

    @Export(intValue = true, returns = {-1})
    public int str_ifind(MessageContext ctx, String s, String needle) {
        int i = s.toLowerCase(Locale.ROOT).indexOf(needle.toLowerCase(Locale.ROOT));
        return i < 0 ? -1 : i + 1;
    }
}
