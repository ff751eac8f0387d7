package dev.kemi.runtime.modules.textops;

import dev.kemi.api.Export;
import dev.kemi.api.RouteType;
import dev.kemi.api.Module;
import dev.kemi.api.Pv;
import dev.kemi.api.PvName;
import dev.kemi.api.PvProvider;
import dev.kemi.api.PvSpec;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.core.RuntimeModule;
import dev.kemi.runtime.modules.pv.PvModule;
import dev.kemi.runtime.modules.pv.StandardPvs;
import dev.kemi.runtime.modules.HeaderEdits;
import dev.kemi.runtime.modules.PosixRegex;
import dev.kemi.runtime.modules.RegexCache;
import dev.kemi.runtime.modules.ScriptLog;
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
public final class TextopsModule implements RuntimeModule {
    private static final int SEARCH = PosixRegex.ICASE | PosixRegex.NEWLINE;
    private static final int REQ_FAIL_BRANCH = RouteType.REQUEST | RouteType.FAILURE | RouteType.BRANCH;
    private final RegexCache regexes = new RegexCache();
    /** The proxy's PVs: get_body_part and regex_substring write the variable the script reads. */
    private PvProvider pvs = new StandardPvs();

    @Override
    public void init(ProxyServices services) {
        pvs = services.optionalApi(PvModule.class).map(PvModule::provider).orElseGet(StandardPvs::new);
    }

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

    /** is_present_hf_pv is the same here: native arguments are formats already. */
    @Export(natives = {"is_present_hf", "is_present_hf_pv"}, returns = {1, -1})
    public int is_present_hf(MessageContext ctx, String hname) {
        return rc(ctx.msg().hasHeader(hname));
    }

    @Export(natives = {"is_present_hf_re", "is_present_hf_re_pv"}, returns = {1, -1})
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
    /** Native remove_hf_pv is KEMI's remove_hf (ki_remove_hf), not native remove_hf. */
    @Export(natives = "remove_hf_pv", returns = {1})
    public int remove_hf(MessageContext ctx, String hname) {
        HdrModule.removeAll(ctx, hname);
        return 1;
    }

    /** Native: -1 when nothing was removed. */
    @Export(natives = "remove_hf", nativeOnly = true, returns = {1, -1})
    public int removeHfNative(MessageContext ctx, String hname) {
        return rc(HdrModule.removeAll(ctx, hname) > 0);
    }

    @Export(natives = {"remove_hf_re", "remove_hf_re_pv"}, returns = {1, -1})
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

    /** append_urihf(prefix, suffix): a header of prefix, the request line's URI (not a rewritten one) and suffix. */
    @Export(natives = "append_urihf", nativeOnly = true, routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.BRANCH,
            returns = {1, -1})
    public int appendUriHf(MessageContext ctx, String prefix, String suffix) {
        if (!ctx.msg().isRequest()) return -1;
        ctx.msg().appendHeader(HeaderEdits.line(prefix + ctx.msg().originalRequestUri() + suffix));
        return 1;
    }

    /** append_time(): a Date header (now, GMT) in the reply this request gets, as append_to_reply would add it. */
    @Export(natives = "append_time", nativeOnly = true, routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.BRANCH,
            returns = {1})
    public int appendTime(MessageContext ctx) {
        ReplyExtras.of(ctx).addHeaderText(dateHeader(java.time.Instant.now()) + "\r\n");
        return 1;
    }

    private static final java.time.format.DateTimeFormatter DATE =
            java.time.format.DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT).withZone(java.time.ZoneOffset.UTC);

    /** strftime's "Date: %a, %d %b %Y %H:%M:%S GMT" in the C locale. */
    static String dateHeader(java.time.Instant t) {
        return "Date: " + DATE.format(t);
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
    @Export(natives = {"remove_hf_exp", "remove_hf_exp_pv"}, returns = {1, -1})
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

    // ---- literal replacements (ki_replace_str_helper: 1 even when nothing matched)
    private static boolean firstOnly(String mode) {
        return mode == null || mode.isEmpty() || mode.charAt(0) == 'f' || mode.charAt(0) == 'F';
    }

    private static int replaceStrHeaders(MessageContext ctx, String key, String text, boolean first) {
        return HeaderBlock.rewrite(ctx, !first, field -> field.contains(key)
                ? (first ? field.replaceFirst(Pattern.quote(key), Matcher.quoteReplacement(text)) : field.replace(key, text)) : null);
    }

    private static boolean replaceStrBody(MessageContext ctx, String key, String text, boolean first) {
        String b = editedBody(ctx.msg());
        if (!b.contains(key)) return false;
        String out = first ? b.replaceFirst(Pattern.quote(key), Matcher.quoteReplacement(text)) : b.replace(key, text);
        ctx.msg().setBody(bytes(out), null);
        return true;
    }

    /** Replaces the string key by text in the headers and body: mode "f" the first (default), "a" all. */
    @Export(natives = "replace_str", returns = {1, -1})
    public int replace_str(MessageContext ctx, String key, String text, String mode) {
        if (key == null || key.isEmpty()) return 1;
        boolean first = firstOnly(mode);
        int n = replaceStrHeaders(ctx, key, text, first);
        if (n == 0 || !first) replaceStrBody(ctx, key, text, first);
        return 1;
    }

    /** As replace_str over the headers only; -1 when there are none. */
    @Export(natives = "replace_hdrs_str", returns = {1, -1})
    public int replace_hdrs_str(MessageContext ctx, String key, String text, String mode) {
        if (ctx.msg().allHeaders().isEmpty()) return -1;
        if (key == null || key.isEmpty()) return 1;
        replaceStrHeaders(ctx, key, text, firstOnly(mode));
        return 1;
    }

    /** As replace_str over the body only; -1 when there is none. */
    @Export(natives = "replace_body_str", returns = {1, -1})
    public int replace_body_str(MessageContext ctx, String key, String text, String mode) {
        if (editedBody(ctx.msg()).isEmpty()) return -1;
        if (key == null || key.isEmpty()) return 1;
        replaceStrBody(ctx, key, text, firstOnly(mode));
        return 1;
    }

    /** Every match of the expression over the body taken as one text. */
    @Export(natives = "replace_body_atonce", returns = {1, -1})
    public int replace_body_atonce(MessageContext ctx, String re, String text) { return replaceBody(ctx, re, text, true); }

    /**
     * Removes the fields named hname whose value is (eq) / is not (ne) expr, contains it (in) or
     * matches the expression (re). 1 removed, -2 none matched, -1 bad operator.
     */
    @Export(natives = "remove_hf_match", returns = {1, -1, -2})
    public int remove_hf_match(MessageContext ctx, String hname, String op, String expr) {
        String o = op.toLowerCase(Locale.ROOT);
        Pattern re = o.equals("re") ? PosixRegex.compile(expr, SEARCH) : null;
        if (!o.equals("eq") && !o.equals("ne") && !o.equals("in") && re == null) {
            dev.kemi.runtime.modules.ScriptLog.log(dev.kemi.runtime.modules.ScriptLog.ERR, "remove_hf_match: unknown operator [" + op + "]");
            return -1;
        }
        int ret = -2;
        for (Header h : HeaderEdits.named(ctx.msg(), hname)) {
            String v = h.value().strip();
            boolean rm = switch (o) {
                case "eq" -> v.equals(expr);
                case "ne" -> !v.equals(expr);
                case "in" -> v.contains(expr);
                default -> re.matcher(v).find();
            };
            if (rm) {
                ctx.msg().removeHeader(h);
                ret = 1;
            }
        }
        return ret;
    }

    // ---- multipart bodies: the body as edited so far; the Content-Type as received (Kamailio reads
    // msg->content_type, so set_body_multipart() then append_body_part() in one route appends nothing)
    /** Keeps only the first part of that type (its content, without part headers); needs multipart/mixed. */
    @Export(natives = "filter_body", returns = {1, -1})
    public int filter_body(MessageContext ctx, String contentType) {
        String b = editedBody(ctx.msg());
        String ct = ctx.msg().contentType();
        if (b.isEmpty() || !MultipartBody.isMixed(ct)) return -1;
        String delim = MultipartBody.boundary(ct);
        if (delim == null) return -1;
        MultipartBody.Found f = MultipartBody.find(b, contentType, "--" + delim);
        if (f == null) return -1;
        int start = f.afterType();
        while (start < f.boundaryLine() && (b.charAt(start) == '\r' || b.charAt(start) == '\n')) start++;
        // the CRLF before the boundary line goes with it
        ctx.msg().setBody(bytes(b.substring(start, Math.max(start, f.boundaryLine() - 2))), null);
        return 1;
    }

    /**
     * Makes the body multipart/mixed: the new body (or the current one) as its first part, with a
     * Content-Type naming the boundary and a Mime-Version header. Already multipart and no new
     * body: nothing to do (1). The defaults are text/plain and "unique-boundary-1".
     */
    @Export(natives = "set_body_multipart", routes = REQ_FAIL_BRANCH, returns = {1, -1})
    public int set_body_multipart(MessageContext ctx, String body, String contentType, String boundary) {
        SipMessageView m = new SipMessageView(ctx);
        boolean convert = !MultipartBody.isMixed(m.ct);
        boolean fresh = body != null && !body.isEmpty();
        if (!convert && !fresh) return 1;
        String delim = boundary == null || boundary.isEmpty() ? MultipartBody.DEFAULT_BOUNDARY : boundary;
        if (delim.startsWith("-")) return -1;
        String type = contentType == null || contentType.isEmpty() ? "text/plain" : contentType;
        String text = fresh ? body : m.body;
        if (text.isEmpty()) return -1;
        if (!fresh && m.ct != null) type = m.ct;
        String part = MultipartBody.part(text, type, null, delim, true);
        if (convert) {
            // as Kamailio: the old Content-Type goes, the new one and Mime-Version end the headers
            ctx.msg().removeHeaders("Content-Type");
            ctx.msg().appendHeader("Content-Type: multipart/mixed;boundary=\"" + delim + "\"\r\n");
            ctx.msg().appendHeader("Mime-Version: 1.0\r\n");
        }
        setMultipartBody(ctx, part);
        return 1;
    }

    @Export(natives = "set_body_multipart", nativeOnly = true, routes = REQ_FAIL_BRANCH, returns = {1, -1})
    public int set_body_multipart(MessageContext ctx) { return set_body_multipart(ctx, null, null, null); }

    @Export(natives = "set_body_multipart", nativeOnly = true, routes = REQ_FAIL_BRANCH, returns = {1, -1})
    public int setBodyMultipartBoundary(MessageContext ctx, String boundary) { return set_body_multipart(ctx, null, null, boundary); }

    @Export(natives = "set_body_multipart", nativeOnly = true, routes = REQ_FAIL_BRANCH, returns = {1, -1})
    public int set_body_multipart(MessageContext ctx, String body, String contentType) { return set_body_multipart(ctx, body, contentType, null); }

    @Export(kemiOnly = true, routes = REQ_FAIL_BRANCH, returns = {1, -1})
    public int set_body_multipart_mode(MessageContext ctx) { return set_body_multipart(ctx, null, null, null); }

    @Export(kemiOnly = true, routes = REQ_FAIL_BRANCH, returns = {1, -1})
    public int set_body_multipart_boundary(MessageContext ctx, String boundary) { return set_body_multipart(ctx, null, null, boundary); }

    @Export(kemiOnly = true, routes = REQ_FAIL_BRANCH, returns = {1, -1})
    public int set_body_multipart_content(MessageContext ctx, String body, String contentType) { return set_body_multipart(ctx, body, contentType, null); }

    /** Appends a part (closed by "--boundary" CRLF) to a body whose Content-Type names a boundary. */
    @Export(natives = "append_body_part", routes = REQ_FAIL_BRANCH, returns = {1, -1})
    public int append_body_part_cd(MessageContext ctx, String text, String contentType, String disposition) {
        if (text == null || text.isEmpty() || contentType == null || contentType.isEmpty()) return -1;
        SipMessageView m = new SipMessageView(ctx);
        String delim = MultipartBody.boundary(m.ct);
        if (m.body.isEmpty() || delim == null || delim.isEmpty() || delim.startsWith("-")) return -1;
        setMultipartBody(ctx, m.body + MultipartBody.part(text, contentType, disposition, delim, false));
        return 1;
    }

    @Export(natives = "append_body_part", routes = REQ_FAIL_BRANCH, returns = {1, -1})
    public int append_body_part(MessageContext ctx, String text, String contentType) { return append_body_part_cd(ctx, text, contentType, null); }

    /** As append_body_part with the part given in hex (spaces and tabs between bytes allowed). */
    @Export(natives = "append_body_part_hex", routes = REQ_FAIL_BRANCH, returns = {1, -1})
    public int append_body_part_hex_cd(MessageContext ctx, String hex, String contentType, String disposition) {
        String raw = hex == null ? null : MultipartBody.unhex(hex);
        return raw == null ? -1 : append_body_part_cd(ctx, raw, contentType, disposition);
    }

    @Export(natives = "append_body_part_hex", routes = REQ_FAIL_BRANCH, returns = {1, -1})
    public int append_body_part_hex(MessageContext ctx, String hex, String contentType) { return append_body_part_hex_cd(ctx, hex, contentType, null); }

    /** Removes from the part's Content-Type line through the boundary line after it. */
    @Export(natives = "remove_body_part", routes = REQ_FAIL_BRANCH, returns = {1, -1})
    public int remove_body_part(MessageContext ctx, String contentType) {
        SipMessageView m = new SipMessageView(ctx);
        String delim = MultipartBody.boundary(m.ct);
        if (m.body.isEmpty() || delim == null) return -1;
        MultipartBody.Found f = MultipartBody.find(m.body, contentType, "--" + delim);
        if (f == null) return -1;
        setMultipartBody(ctx, m.body.substring(0, f.lineStart()) + m.body.substring(f.afterBoundaryLine()));
        return 1;
    }

    /** Sets the PV to the part of that type after its Content-Type line (up to the boundary); not multipart: the whole body. */
    @Export(natives = "get_body_part", routes = REQ_FAIL_BRANCH | RouteType.ONREPLY, returns = {1, -1})
    public int get_body_part(MessageContext ctx, String contentType, @PvName String pvName) { return bodyPart(ctx, contentType, pvName, false); }

    /** As get_body_part from the Content-Type line through the boundary line. */
    @Export(natives = "get_body_part_raw", routes = REQ_FAIL_BRANCH | RouteType.ONREPLY, returns = {1, -1})
    public int get_body_part_raw(MessageContext ctx, String contentType, @PvName String pvName) { return bodyPart(ctx, contentType, pvName, true); }

    private int bodyPart(MessageContext ctx, String contentType, String pvName, boolean raw) {
        Pv pv = writablePv(pvName);
        if (pv == null) return -1;
        // the body as received, as Kamailio's get_body()
        String b = body(ctx.msg());
        String ct = ctx.msg().contentType();
        if (b.isEmpty() || ct == null) return -1;
        String delim = MultipartBody.boundary(ct);
        if (delim == null) {
            pv.set(ctx, b);
            return 1;
        }
        MultipartBody.Found f = MultipartBody.find(b, contentType, "--" + delim);
        if (f == null) return -1;
        pv.set(ctx, raw ? b.substring(f.lineStart(), f.afterBoundaryLine()) : b.substring(f.afterType(), f.boundaryLine()));
        return 1;
    }

    /**
     * Sets the PV to match group index of the POSIX extended expression on the input. -1 bad
     * arguments, an unmatched or empty group; -2 no match.
     */
    @Export(natives = "regex_substring", routes = REQ_FAIL_BRANCH | RouteType.ONREPLY, returns = {1, -1, -2})
    public int regex_substring(MessageContext ctx, String input, String re, int index, int count, @PvName String pvName) {
        if (pvName == null || pvName.isEmpty() || index > count - 1) return -1;
        Pv pv = writablePv(pvName);
        if (pv == null) return -1;
        Pattern p;
        try {
            p = regexes.compile(re, 0);
        } catch (IllegalArgumentException e) {
            ScriptLog.log(ScriptLog.ERR, "regex_substring: regular expression could not be compiled [" + re + "]");
            return -1;
        }
        // Kamailio passes REG_EXTENDED as regexec's eflags, which is REG_NOTBOL: '^' never matches
        // at the start; a newline in front (searched from after it) does the same here
        Matcher m = p.matcher("\n" + input);
        if (!m.find(1)) return -2;
        if (index < 0 || index > m.groupCount() || m.start(index) < 0 || m.start(index) == m.end(index)) return -1;
        pv.set(ctx, m.group(index));
        return 1;
    }

    /** The PVs this module writes (tests read them back). */
    PvProvider pvProvider() {
        return pvs;
    }

    private Pv writablePv(String name) {
        try {
            Pv pv = pvs.resolve(PvSpec.parse(name));
            if (pv.writable()) return pv;
            ScriptLog.log(ScriptLog.ERR, "textops: destination pseudo-variable is not writable: " + name);
        } catch (IllegalArgumentException e) {
            ScriptLog.log(ScriptLog.ERR, "textops: invalid pseudo-variable [" + name + "]: " + e.getMessage());
        }
        return null;
    }

    /**
     * Sets a multipart body as Kamailio sends it: when the received Content-Type names a boundary,
     * the boundary lines are normalised (check_boundaries at send time).
     */
    private static void setMultipartBody(MessageContext ctx, String body) {
        String delim = MultipartBody.boundary(ctx.msg().contentType());
        String normal = delim == null || delim.isEmpty() ? null : MultipartBody.normalize(body, delim);
        ctx.msg().setBody(bytes(normal != null ? normal : body), null);
    }

    /** The body as edited so far and the Content-Type as received. */
    private static final class SipMessageView {
        final String body;
        final String ct;

        SipMessageView(MessageContext ctx) {
            body = editedBody(ctx.msg());
            ct = ctx.msg().contentType();
        }
    }

    private static final java.util.List<String> PRIVACY = java.util.List.of("user", "header", "session", "none", "id", "critical");

    /** 1 if a Privacy header lists this value (user, header, session, none, id, critical). */
    @Export(natives = "is_privacy", returns = {1, -1})
    public int is_privacy(MessageContext ctx, String value) {
        String want = value.strip().toLowerCase(Locale.ROOT);
        if (!PRIVACY.contains(want)) {
            dev.kemi.runtime.modules.ScriptLog.log(dev.kemi.runtime.modules.ScriptLog.ERR, "is_privacy: bad privacy value [" + value + "]");
            return -1;
        }
        for (Header h : HeaderEdits.named(ctx.msg(), "Privacy")) {
            for (String t : h.value().split(";")) {
                if (t.strip().equalsIgnoreCase(want)) return 1;
            }
        }
        return -1;
    }
}
