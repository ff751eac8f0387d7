package dev.kemi.runtime.modules.sanity;

import dev.kemi.runtime.core.Failures;
import dev.kemi.runtime.sip.NameAddr;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.SipUri;
import dev.kemi.runtime.sip.Via;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The individual checks of Kamailio's sanity module, in its order, with its reply texts. */
final class SanityChecks {
    static final int RURI_SIP_VERSION = 1, RURI_SCHEME = 2, REQUIRED_HEADERS = 4, VIA_SIP_VERSION = 8,
            VIA_PROTOCOL = 16, CSEQ_METHOD = 32, CSEQ_VALUE = 64, CL = 128, EXPIRES_VALUE = 256,
            PROXY_REQUIRE = 512, PARSE_URIS = 1024, CHECK_DIGEST = 2048, CHECK_DUPTAGS = 4096,
            CHECK_AUTHORIZATION = 8192, VIA1_HEADER = 16384;
    static final int URI_RURI = 1, URI_FROM = 2, URI_TO = 4, URI_CONTACT = 8;
    static final int DEFAULT_MSG_CHECKS = 3047;
    static final int DEFAULT_URI_CHECKS = 7;

    /** A failed check: the reply to send (code 0 = fail without reply) and an extra header. */
    record Failure(int code, String reason, String header) {}

    private static final Failure SILENT = new Failure(0, null, null);
    private static final Pattern BLANKS = Pattern.compile("\\s+");

    private SanityChecks() {}

    static Failure run(SipMessage m, int checks, int uriChecks, List<String> proxyRequire) {
        boolean req = m.isRequest();
        Failure f;
        if (req && (checks & RURI_SIP_VERSION) != 0 && (f = ruriVersion(m)) != null) return f;
        if (req && (checks & RURI_SCHEME) != 0 && (f = ruriScheme(m)) != null) return f;
        if ((checks & REQUIRED_HEADERS) != 0 && (f = requiredHeaders(m)) != null) return f;
        if (req && (checks & CSEQ_METHOD) != 0 && (f = cseqMethod(m)) != null) return f;
        if ((checks & CSEQ_VALUE) != 0 && (f = cseqValue(m)) != null) return f;
        if ((checks & CL) != 0 && (f = contentLength(m)) != null) return f;
        if ((checks & EXPIRES_VALUE) != 0 && (f = expires(m)) != null) return f;
        if (req && (checks & PROXY_REQUIRE) != 0 && (f = proxyRequire(m, proxyRequire)) != null) return f;
        if ((checks & PARSE_URIS) != 0 && (f = parseUris(m, uriChecks)) != null) return f;
        if ((checks & CHECK_DIGEST) != 0 && digest(m, true) != null) return SILENT;
        if ((checks & CHECK_DUPTAGS) != 0 && dupTags(m)) return SILENT;
        if ((checks & CHECK_AUTHORIZATION) != 0 && digest(m, false) != null) return SILENT;
        if ((checks & VIA1_HEADER) != 0 && badVia1(m)) return SILENT;
        return null;
    }

    private static Failure ruriVersion(SipMessage m) {
        String line = m.firstLine();
        int sp = line.lastIndexOf(' ');
        String version = sp < 0 ? "" : line.substring(sp + 1);
        int slash = version.indexOf('/');
        if (slash < 0 || !version.substring(slash + 1).equals("2.0")) {
            return new Failure(505, "Version Not Supported (R-URI)", null);
        }
        return null;
    }

    private static Failure ruriScheme(SipMessage m) {
        String u = m.requestUri();
        int c = u.indexOf(':');
        String scheme = c < 0 ? "" : u.substring(0, c).toLowerCase(java.util.Locale.ROOT);
        // Kamailio's URI parser already fails on other schemes: 400, never its 416
        if (!(scheme.equals("sip") || scheme.equals("sips") || scheme.equals("tel") || scheme.equals("tels")
                || scheme.equals("urn"))) {
            return new Failure(400, "Bad Request URI", null);
        }
        try {
            m.parsedRequestUri();
        } catch (SipParseException | RuntimeException e) {
            Failures.handled("sanity: ruriScheme", e);
            return new Failure(400, "Bad Request URI", null);
        }
        return null;
    }

    private static Failure requiredHeaders(SipMessage m) {
        if (!m.hasHeader("From") || !m.hasHeader("To") || !m.hasHeader("Call-ID") || !m.hasHeader("CSeq")
                || !m.hasHeader("Via")) {
            return SILENT; // 5.6.3 fails this check without a reply (nor could it build one)
        }
        return null;
    }

    private static Failure cseqMethod(SipMessage m) {
        String v = m.header("CSeq");
        if (v == null) return SILENT;
        String[] parts = BLANKS.split(v.trim());
        if (parts.length < 2) return new Failure(400, "Missing method in CSeq header", null);
        if (!parts[1].equals(m.method())) return new Failure(400, "CSeq method does not match request method", null);
        return null;
    }

    private static Failure cseqValue(SipMessage m) {
        String v = m.header("CSeq");
        if (v == null) return SILENT;
        String n = BLANKS.split(v.trim())[0];
        if (n.isEmpty()) return new Failure(400, "Missing number in CSeq header", null);
        if (!validUint(n)) return new Failure(400, "CSeq number is illegal", null);
        return null;
    }

    /** Decimal digits fitting 32 bits unsigned. */
    static boolean validUint(String s) {
        if (s.isEmpty() || s.length() > 10) return false;
        for (int i = 0; i < s.length(); i++) if (!Character.isDigit(s.charAt(i))) return false;
        return Long.parseLong(s) <= 4294967295L;
    }

    private static Failure contentLength(SipMessage m) {
        String cl = m.header("Content-Length");
        if (cl == null) return null;
        try {
            // the whole datagram after the headers, as Kamailio's msg->len (a UDP body may run past Content-Length)
            if (m.receivedBodyLength() != Integer.parseInt(cl.trim())) return new Failure(400, "Content-Length mis-match", null);
        } catch (NumberFormatException e) {
            return SILENT;
        }
        return null;
    }

    private static Failure expires(SipMessage m) {
        String e = m.header("Expires");
        if (e == null) return null;
        String v = e.trim();
        if (v.isEmpty()) return new Failure(400, "Missing number in Expires header", null);
        if (!validUint(v)) return new Failure(400, "Expires value is illegal", null);
        return null;
    }

    private static Failure proxyRequire(SipMessage m, List<String> supported) {
        String pr = m.header("Proxy-Require");
        if (pr == null) return null;
        for (String ext : pr.split(",")) {
            String x = ext.trim();
            if (x.isEmpty()) continue;
            if (!supported.contains(x)) return new Failure(420, "Bad Proxy Require Extension", "Unsupported: " + x);
        }
        return null;
    }

    private static Failure parseUris(SipMessage m, int uriChecks) {
        if (m.isRequest() && (uriChecks & URI_RURI) != 0) {
            try {
                m.parsedRequestUri();
            } catch (SipParseException | RuntimeException e) {
                Failures.handled("sanity: R-URI URI", e);
                return new Failure(400, "Bad Request URI", null);
            }
        }
        if ((uriChecks & URI_FROM) != 0) {
            if (!m.hasHeader("From")) return new Failure(400, "Missing From Header", null);
            NameAddr f;
            try {
                f = m.from();
            } catch (SipParseException | RuntimeException e) {
                Failures.handled("sanity: From URI", e);
                return new Failure(400, "Invalid From Header", null);
            }
            if (!parses(f.uri())) return new Failure(400, "Invalid From Header", null);
        }
        if ((uriChecks & URI_TO) != 0) {
            if (!m.hasHeader("To")) return new Failure(400, "Missing To Header", null);
            // 5.6.3 answers "Ivalid To Header", but its sl cannot build a reply with that To: none goes out
            try {
                if (!parses(m.to().uri())) return SILENT;
            } catch (SipParseException | RuntimeException e) {
                Failures.handled("sanity: To URI", e);
                return SILENT;
            }
        }
        if ((uriChecks & URI_CONTACT) != 0 && m.hasHeader("Contact")) {
            List<String> contacts = m.headerValues("Contact");
            if (contacts.isEmpty()) return new Failure(400, "Bad Contact Header", null);
            String c = contacts.get(0).trim();
            if (!c.equals("*")) {
                String uri;
                try {
                    uri = NameAddr.parse(c).uri();
                } catch (SipParseException | RuntimeException e) {
                    Failures.handled("sanity: Contact URI", e);
                    // Kamailio's Contact parser takes whatever is inside <...>; the URI check fails after
                    uri = bracketed(c);
                    if (uri == null) return new Failure(400, "Bad Contact Header", null);
                }
                if (!parses(uri)) return new Failure(400, "Bad Contact URI", null);
            }
        }
        return null;
    }

    /** The text between '<' and the next '>' of a name-addr, or null. */
    private static String bracketed(String nameAddr) {
        int lt = nameAddr.indexOf('<');
        int gt = lt < 0 ? -1 : nameAddr.indexOf('>', lt);
        return gt < 0 ? null : nameAddr.substring(lt + 1, gt);
    }

    private static boolean parses(String uri) {
        try {
            SipUri.parse(uri);
            return true;
        } catch (SipParseException | RuntimeException e) {
            Failures.handled("sanity: parses", e);
            return false;
        }
    }

    private static final Pattern PARAM = Pattern.compile("(?i)\\b(username|nonce|response)\\s*=\\s*(\"([^\"]*)\"|([^,\\s]*))");

    /**
     * Digest credentials need non-empty username, nonce and response. With {@code digestOnly}
     * a non-Digest scheme fails (check_digest); otherwise it is not applicable (check_authorization).
     */
    private static String digest(SipMessage m, boolean digestOnly) {
        for (String name : new String[] {"Authorization", "Proxy-Authorization"}) {
            for (String v : m.headers(name)) {
                String t = v.trim();
                if (!t.regionMatches(true, 0, "Digest", 0, 6)) {
                    if (digestOnly) return "not digest";
                    return null;
                }
                String user = null, nonce = null, response = null;
                Matcher x = PARAM.matcher(t);
                while (x.find()) {
                    String val = x.group(3) != null ? x.group(3) : x.group(4);
                    switch (x.group(1).toLowerCase(java.util.Locale.ROOT)) {
                        case "username" -> user = val;
                        case "nonce" -> nonce = val;
                        default -> response = val;
                    }
                }
                if (user == null || user.isEmpty() || nonce == null || nonce.isEmpty() || response == null
                        || response.isEmpty()) {
                    return "malformed";
                }
            }
        }
        return null;
    }

    private static boolean dupTags(SipMessage m) {
        for (String name : new String[] {"From", "To"}) {
            String v = m.header(name);
            if (v == null) continue;
            int gt = v.lastIndexOf('>');
            String params = gt >= 0 ? v.substring(gt + 1) : v;
            int n = 0;
            for (String p : params.split(";")) if (p.trim().toLowerCase(java.util.Locale.ROOT).startsWith("tag=")) n++;
            if (n > 1) return true;
        }
        return false;
    }

    private static boolean badVia1(SipMessage m) {
        try {
            Via v = m.topVia();
            return v == null || v.host() == null || v.host().isEmpty();
        } catch (SipParseException | RuntimeException e) {
            Failures.handled("sanity: badVia1", e);
            return true;
        }
    }
}
