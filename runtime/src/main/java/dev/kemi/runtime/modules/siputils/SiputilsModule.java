package dev.kemi.runtime.modules.siputils;

import dev.kemi.api.Export;
import dev.kemi.api.RouteType;
import dev.kemi.api.Module;
import dev.kemi.api.Param;
import dev.kemi.runtime.core.Failures;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.HeaderEdits;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.modules.nathelper.ContactSpot;
import dev.kemi.runtime.modules.sl.LocalReply;
import dev.kemi.runtime.modules.sl.ReplyExtras;
import dev.kemi.runtime.sip.NameAddr;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.SipUri;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** SIP checks and R-URI helpers (KSR.siputils); all return 1 / -1. */
@Module(value = "siputils", loadName = "siputils")
public final class SiputilsModule {
    private String optAccept = "*/*";
    private String optAcceptEncoding = "";
    private String optAcceptLanguage = "en";
    private String optSupport = "";

    @Param("options_accept")
    public void optionsAccept(String v) { optAccept = v; }

    @Param("options_accept_encoding")
    public void optionsAcceptEncoding(String v) { optAcceptEncoding = v; }

    @Param("options_accept_language")
    public void optionsAcceptLanguage(String v) { optAcceptLanguage = v; }

    @Param("options_support")
    public void optionsSupport(String v) { optSupport = v; }

    /** encode_contact/decode_contact field separator: its first character ("*"). */
    private char separator = '*';

    @Param("contact_flds_separator")
    public void contactFldsSeparator(String v) { if (!v.isEmpty()) separator = v.charAt(0); }

    private static int rc(boolean b) { return b ? 1 : -1; }

    @Export(returns = {1, -1})
    public int has_totag(MessageContext ctx) {
        try {
            NameAddr to = ctx.msg().to();
            return rc(to != null && to.tag() != null && !to.tag().isEmpty());
        } catch (SipParseException e) {
            return -1;
        }
    }

    @Export(returns = {1, -1})
    public int is_request(MessageContext ctx) { return rc(ctx.msg().isRequest()); }

    @Export(returns = {1, -1})
    public int is_reply(MessageContext ctx) { return rc(!ctx.msg().isRequest()); }

    /** Request: no second Via. Reply: only our Via left after the sender's. */
    @Export(returns = {1, -1})
    public int is_first_hop(MessageContext ctx) {
        try {
            int n = ctx.msg().vias().size();
            return rc(ctx.msg().isRequest() ? n == 1 : n <= 2);
        } catch (SipParseException e) {
            return -1;
        }
    }

    @Export(returns = {1, -1})
    public int is_uri(MessageContext ctx, String s) {
        try {
            SipUri.parse(s);
            return 1;
        } catch (SipParseException | RuntimeException e) {
            Failures.handled("siputils: is_uri", e);
            return -1;
        }
    }

    /** The username of the credentials (Authorization / Proxy-Authorization) equals the given one. */
    @Export(routes = RouteType.REQUEST | RouteType.LOCAL, returns = {1, -1})
    public int is_user(MessageContext ctx, String user) {
        for (String name : new String[] {"Proxy-Authorization", "Authorization"}) {
            String v = ctx.msg().header(name);
            if (v == null) continue;
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("(?i)\\busername\\s*=\\s*\"([^\"]*)\"").matcher(v);
            if (m.find()) return rc(m.group(1).equals(user));
        }
        return -1;
    }

    /**
     * R-URI parameters. With user=phone Kamailio treats the URI as a telephone number and its
     * parameters are those in the user part ("sip:123;isub=4@h;user=phone" gives isub).
     */
    private static Map<String, String> ruriParams(MessageContext ctx) {
        try {
            if (!ctx.msg().isRequest()) return Map.of();
            SipUri u = ctx.msg().parsedRequestUri();
            if (!"phone".equals(u.params().get("user"))) return u.params();
            Map<String, String> tel = new java.util.LinkedHashMap<>();
            String user = u.user() == null ? "" : u.user();
            String[] parts = user.split(";");
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].split("=", 2);
                tel.put(kv[0].trim().toLowerCase(Locale.ROOT), kv.length > 1 ? kv[1].trim() : "");
            }
            return tel;
        } catch (SipParseException e) {
            return Map.of();
        }
    }

    /** R-URI has the parameter without a value. */
    @Export(natives = "uri_param", routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.BRANCH, returns = {1, -1})
    public int uri_param(MessageContext ctx, String name) {
        String v = ruriParams(ctx).get(name.toLowerCase(Locale.ROOT));
        return rc(v != null && v.isEmpty());
    }

    /** R-URI has the parameter with this value. */
    @Export(natives = "uri_param", routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.BRANCH, returns = {1, -1})
    public int uri_param_value(MessageContext ctx, String name, String value) {
        return rc(Objects.equals(ruriParams(ctx).get(name.toLowerCase(Locale.ROOT)), value));
    }

    @Export(routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.BRANCH, returns = {1, -1})
    public int uri_param_any(MessageContext ctx, String name) {
        return rc(ruriParams(ctx).containsKey(name.toLowerCase(Locale.ROOT)));
    }

    /** Appends ";param" to the R-URI (before any ?headers). */
    @Export(routes = RouteType.REQUEST, returns = {1, -1})
    public int add_uri_param(MessageContext ctx, String param) {
        if (!ctx.msg().isRequest() || param == null || param.isEmpty()) return -1;
        String p = param.startsWith(";") ? param : ";" + param;
        String uri = ctx.msg().requestUri();
        int q = uri.indexOf('?');
        ctx.msg().setRequestUri(q < 0 ? uri + p : uri.substring(0, q) + p + uri.substring(q));
        return 1;
    }

    /** Removes every ";name[=value]" from the R-URI parameters. */
    @Export(routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.BRANCH, returns = {1, -1})
    public int uri_param_rm(MessageContext ctx, String name) {
        if (!ctx.msg().isRequest()) return -1;
        String uri = ctx.msg().requestUri();
        int semi = uri.indexOf(';');
        if (semi < 0) return -1;
        int q = uri.indexOf('?', semi);
        String params = uri.substring(semi, q < 0 ? uri.length() : q);
        StringBuilder kept = new StringBuilder();
        boolean removed = false;
        for (String p : params.substring(1).split(";", -1)) {
            if (p.split("=", 2)[0].trim().equalsIgnoreCase(name)) removed = true;
            else kept.append(';').append(p);
        }
        if (!removed) return -1;
        ctx.msg().setRequestUri(uri.substring(0, semi) + kept + (q < 0 ? "" : uri.substring(q)));
        return 1;
    }

    /** Header names equal, compact forms included. */
    @Export(returns = {1, -1})
    public int cmp_hdr_name(MessageContext ctx, String a, String b) {
        return rc(dev.kemi.runtime.sip.HeaderNames.canonical(a).equals(dev.kemi.runtime.sip.HeaderNames.canonical(b)));
    }

    @Export(returns = {1, -1})
    public int is_numeric(MessageContext ctx, String s) {
        return rc(s != null && !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9'));
    }

    @Export(returns = {1, -1})
    public int is_alphanum(MessageContext ctx, String s) {
        return is_alphanumex(ctx, s, "");
    }

    @Export(returns = {1, -1})
    public int is_alphanumex(MessageContext ctx, String s, String extra) {
        return rc(s != null && !s.isEmpty() && s.chars().allMatch(c -> (c >= '0' && c <= '9')
                || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || extra.indexOf(c) >= 0));
    }

    /** Optional leading '+', then digits only. */
    @Export(returns = {1, -1})
    public int is_tel_number(MessageContext ctx, String s) {
        if (s == null || s.isEmpty()) return -1;
        int i = s.charAt(0) == '+' ? 1 : 0;
        if (i == s.length()) return -1;
        for (; i < s.length(); i++) if (!Character.isDigit(s.charAt(i))) return -1;
        return 1;
    }

    /** URI equality per RFC 3261 §19.1.4 (1 equal, -1 different or invalid). */
    @Export(returns = {1, -1})
    public int cmp_uri(MessageContext ctx, String a, String b) {
        try {
            return rc(uriEquals(SipUri.parse(a), SipUri.parse(b)));
        } catch (SipParseException | RuntimeException e) {
            Failures.handled("siputils: cmp_uri", e);
            return -1;
        }
    }

    /** Same user and host (port defaults to 5060/5061). */
    @Export(returns = {1, -1})
    public int cmp_aor(MessageContext ctx, String a, String b) {
        try {
            SipUri x = SipUri.parse(a);
            SipUri y = SipUri.parse(b);
            return rc(Objects.equals(x.user(), y.user()) && hostEq(x.host(), y.host()) && port(x) == port(y));
        } catch (SipParseException | RuntimeException e) {
            Failures.handled("siputils: cmp_aor", e);
            return -1;
        }
    }

    private static boolean hostEq(String a, String b) {
        return a == null ? b == null : b != null && a.equalsIgnoreCase(b);
    }

    private static int port(SipUri u) {
        return u.port() > 0 ? u.port() : "sips".equals(u.scheme()) ? 5061 : 5060;
    }

    private static final java.util.List<String> MUST_MATCH = java.util.List.of("user", "ttl", "method", "maddr", "transport");

    static boolean uriEquals(SipUri x, SipUri y) {
        if (!x.scheme().equals(y.scheme())) return false;
        if (!Objects.equals(x.user(), y.user()) || !Objects.equals(x.password(), y.password())) return false;
        if (!hostEq(x.host(), y.host()) || x.port() != y.port()) return false;
        for (String p : MUST_MATCH) {
            String vx = x.params().get(p);
            String vy = y.params().get(p);
            if (vx == null && vy == null) continue;
            if (vx == null || vy == null || !vx.equalsIgnoreCase(vy)) return false;
        }
        for (Map.Entry<String, String> e : x.params().entrySet()) {
            String vy = y.params().get(e.getKey());
            if (vy != null && !vy.equalsIgnoreCase(e.getValue())) return false;
        }
        return Objects.equals(x.headers(), y.headers());
    }

    /** 200 to an OPTIONS for the server itself (R-URI without user); -1 otherwise. */
    @Export(routes = RouteType.REQUEST, returns = {1, -1})
    public int options_reply(MessageContext ctx) {
        SipMessage m = ctx.msg();
        if (!m.isRequest() || !"OPTIONS".equals(m.method())) return -1;
        try {
            String user = m.parsedRequestUri().user();
            if (user != null && !user.isEmpty()) return -1;
        } catch (SipParseException e) {
            return -1;
        }
        ReplyExtras x = ReplyExtras.of(ctx);
        x.headers.add("Accept: " + optAccept);
        x.headers.add("Accept-Encoding: " + optAcceptEncoding);
        x.headers.add("Accept-Language: " + optAcceptLanguage);
        x.headers.add("Supported: " + optSupport);
        return LocalReply.send(ctx, 200, "OK") > 0 ? 1 : -1;
    }

    /** Mode bits (Via checks for the local case) are not distinguished. */
    @Export(natives = "is_first_hop", returns = {1, -1})
    public int is_first_hop_mode(MessageContext ctx, int mode) { return is_first_hop(ctx); }

    /**
     * The Date header (RFC 1123, GMT) is not older than tdiff seconds: 1, -1 absent or
     * unparsable, -4 outdated (ki_hdr_date_check).
     */
    @Export(natives = "hdr_date_check", returns = {1, -1, -4})
    public int hdr_date_check(MessageContext ctx, int tdiff) {
        java.util.List<dev.kemi.runtime.sip.Header> hs = dev.kemi.runtime.modules.HeaderEdits.named(ctx.msg(), "Date");
        if (hs.isEmpty()) {
            dev.kemi.runtime.modules.ScriptLog.log(dev.kemi.runtime.modules.ScriptLog.ERR, "Date header field is not found");
            return -1;
        }
        String v = hs.get(0).value().strip();
        long sent;
        try {
            if (!v.endsWith(" GMT")) throw new java.time.format.DateTimeParseException("not GMT", v, 0);
            sent = java.time.ZonedDateTime.parse(v, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
        } catch (java.time.format.DateTimeParseException e) {
            dev.kemi.runtime.modules.ScriptLog.log(dev.kemi.runtime.modules.ScriptLog.ERR, "failed parsing DATE body");
            return -1;
        }
        return System.currentTimeMillis() / 1000 > sent + tdiff ? -4 : 1;
    }

    /** The R-URI is a GRUU: 1 with a gr value, 2 with a bare gr, -1 none or unparsable (w_is_gruu). */
    @Export(natives = "is_gruu", returns = {1, 2, -1})
    public int is_gruu(MessageContext ctx) {
        if (!ctx.msg().isRequest()) return -1;
        try {
            String gr = ctx.msg().parsedRequestUri().params().get("gr");
            if (gr == null) return -1;
            return gr.isEmpty() ? 2 : 1;
        } catch (SipParseException e) {
            return -1;
        }
    }

    /** Native is_gruu(uri): the same test on the given URI. */
    @Export(natives = "is_gruu", nativeOnly = true, returns = {1, 2, -1})
    public int is_gruu(MessageContext ctx, String uri) {
        try {
            String gr = SipUri.parse(uri).params().get("gr");
            if (gr == null) return -1;
            return gr.isEmpty() ? 2 : 1;
        } catch (SipParseException e) {
            return -1;
        }
    }

    // ---- Contact encodings (contact_ops.c)

    /** The contacts of the first Contact header; null if it does not parse, empty without one. */
    private static java.util.List<ContactSpot> firstHeaderContacts(SipMessage m) {
        java.util.List<ContactSpot> all = ContactSpot.all(m);
        if (all == null) return null;
        for (dev.kemi.runtime.sip.Header h : m.allHeaders()) {
            if (!h.canonicalName().equals("contact")) continue;
            return all.stream().filter(c -> c.uriStart() < h.end()).toList();
        }
        return java.util.List.of();
    }

    private static boolean hasContact(SipMessage m) {
        return !HeaderEdits.named(m, "Contact").isEmpty();
    }

    /**
     * Every URI of the first Contact header packed as sip:PREFIX*user*pw*host*port*proto@IP. 1;
     * -1 no Contact; -4 unparsable; -21..-26, -509 a URI that cannot be encoded.
     */
    @Export(routes = RouteType.REQUEST | RouteType.ONREPLY, returns = {1, -1, -4, -21, -25, -26, ContactCodec.BAD_URI})
    public int encode_contact(MessageContext ctx, String prefix, String publicIp) {
        SipMessage m = ctx.msg();
        if (!hasContact(m)) {
            ScriptLog.log(ScriptLog.ERR, "no Contact header present");
            return -1;
        }
        java.util.List<ContactSpot> cs = firstHeaderContacts(m);
        if (cs == null) return -4;
        for (ContactSpot c : cs) {
            ContactCodec.Result r = ContactCodec.encode(c.uri(), prefix, publicIp, separator);
            if (r.uri() == null) {
                ScriptLog.log(ScriptLog.ERR, "failed encoding contact - return code " + r.code());
                return r.code();
            }
            m.replaceRange(c.uriStart(), c.uriEnd(), r.uri());
        }
        return 1;
    }

    /** The R-URI made by encode_contact decoded back. 1; -1..-3, -21..-26 not an encoded URI. */
    @Export(routes = RouteType.REQUEST, returns = {1, -1, -2, -3, -22, -23, -24, -26})
    public int decode_contact(MessageContext ctx) {
        if (!ctx.msg().isRequest()) return -1;
        ContactCodec.Result r = ContactCodec.decode(ctx.msg().requestUri(), separator);
        if (r.uri() == null) {
            ScriptLog.log(ScriptLog.ERR, "failed decoding contact [" + ctx.msg().requestUri() + "] - return code " + r.code());
            return r.code();
        }
        ctx.msg().setRequestUri(r.uri());
        return 1;
    }

    /** The URIs of the first Contact header decoded back (encode_contact undone). Codes as decode_contact, -4 unparsable. */
    @Export(routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.ONREPLY, returns = {1, -1, -2, -3, -4, -22, -23, -24, -26})
    public int decode_contact_header(MessageContext ctx) {
        SipMessage m = ctx.msg();
        if (!hasContact(m)) {
            ScriptLog.log(ScriptLog.ERR, "no Contact header present");
            return -1;
        }
        java.util.List<ContactSpot> cs = firstHeaderContacts(m);
        if (cs == null) return -4;
        for (ContactSpot c : cs) {
            ContactCodec.Result r = ContactCodec.decode(c.uri(), separator);
            if (r.uri() == null) {
                ScriptLog.log(ScriptLog.ERR, "failed decoding contact [" + c.uri() + "] - return code " + r.code());
                return r.code();
            }
            m.replaceRange(c.uriStart(), c.uriEnd(), r.uri());
        }
        return 1;
    }

    /**
     * Each URI of the first Contact header becomes {@code <saddr;nparam=BASE64URL(uri)>} ('<' '>'
     * added when the URI had none). 1 (also without Contact), -4 unparsable.
     */
    @Export(routes = RouteType.REQUEST | RouteType.ONREPLY, returns = {1, -4})
    public int contact_param_encode(MessageContext ctx, String nparam, String saddr) {
        SipMessage m = ctx.msg();
        if (!hasContact(m)) return 1;
        java.util.List<ContactSpot> cs = firstHeaderContacts(m);
        if (cs == null) return -4;
        for (ContactSpot c : cs) {
            if (c.uri().length() <= 4) continue;
            // Kamailio only looks at the character just before the URI
            boolean q = !c.bracketed();
            m.replaceRange(c.uriStart(), c.uriEnd(), (q ? "<" : "") + saddr + ";" + nparam + "="
                    + ContactCodec.paramValue(c.uri()) + (q ? ">" : ""));
        }
        return 1;
    }

    /** Every Contact URI carrying nparam is replaced by the URI decoded from its value. 1; -1 bad URI or value. */
    @Export(routes = RouteType.REQUEST | RouteType.ONREPLY, returns = {1, -1})
    public int contact_param_decode(MessageContext ctx, String nparam) {
        SipMessage m = ctx.msg();
        java.util.List<ContactSpot> cs = ContactSpot.all(m);
        if (cs == null) return hasContact(m) ? -1 : 1;
        for (ContactSpot c : cs) {
            if (c.uri().length() < 4) continue;
            int[] p = ContactCodec.param(c.uri(), nparam);
            if (p == null || p[2] < 0 || p[2] >= p[1]) continue;
            String dec = ContactCodec.fromParamValue(c.uri().substring(p[2], p[1]));
            if (dec == null) {
                ScriptLog.log(ScriptLog.ERR, "failed to decode contact uri [" + c.uri() + "]");
                return -1;
            }
            m.replaceRange(c.uriStart(), c.uriEnd(), dec);
        }
        return 1;
    }

    /** The R-URI becomes the URI decoded from its parameter nparam. 1 (also when it has none), -1 bad URI or value. */
    @Export(routes = RouteType.REQUEST, returns = {1, -1})
    public int contact_param_decode_ruri(MessageContext ctx, String nparam) {
        if (!ctx.msg().isRequest()) return -1;
        String uri = ctx.msg().requestUri();
        try {
            SipUri.parse(uri);
        } catch (SipParseException | RuntimeException e) {
            ScriptLog.log(ScriptLog.ERR, "failed to parse r-uri [" + uri + "]");
            return -1;
        }
        int[] p = ContactCodec.param(uri, nparam);
        if (p == null || p[2] < 0 || p[2] >= p[1]) return 1;
        String dec = ContactCodec.fromParamValue(uri.substring(p[2], p[1]));
        if (dec == null) {
            ScriptLog.log(ScriptLog.ERR, "failed to decode uri [" + uri + "]");
            return -1;
        }
        ctx.msg().setRequestUri(dec);
        return 1;
    }

    /** ";nparam[=value]" removed from every Contact URI. 1 (also when none has it), -1 unparsable. */
    @Export(routes = RouteType.REQUEST | RouteType.ONREPLY, returns = {1, -1})
    public int contact_param_rm(MessageContext ctx, String nparam) {
        SipMessage m = ctx.msg();
        java.util.List<ContactSpot> cs = ContactSpot.all(m);
        if (cs == null) return hasContact(m) ? -1 : 1;
        for (ContactSpot c : cs) {
            if (c.uri().length() < 4) continue;
            int[] p = ContactCodec.param(c.uri(), nparam);
            if (p != null) m.replaceRange(c.uriStart() + p[0], c.uriStart() + p[1], "");
        }
        return 1;
    }
}
