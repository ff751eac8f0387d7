package dev.kemi.runtime.sip;

import java.util.Map;

/**
 * name-addr or addr-spec with header parameters (From, To, Contact, Route, Record-Route).
 *
 * @param displayName null if none (quotes removed, quoted-pair escapes kept as written)
 * @param uri         the URI text (without angle brackets); "*" for a wildcard Contact
 * @param params      header parameters after the URI, lower-case names, in order
 * @param text        the value as given
 */
public record NameAddr(String displayName, String uri, Map<String, String> params, String text) {

    /**
     * Parses {@code [display-name] <URI> *(;param)} or {@code addr-spec *(;param)}. In the
     * addr-spec form the URI ends at the first ';' or LWS and may not hold ',' or '?' (RFC 3261
     * §20.10). The URI is only checked for scheme syntax; {@link #parsedUri()} parses it.
     */
    public static NameAddr parse(String text) throws SipParseException {
        String s = text;
        int end = s.length();
        while (end > 0 && Chars.isLws(s.charAt(end - 1))) end--;
        int i = Chars.skipLws(s, 0, end);
        if (i == end) throw new SipParseException("Empty address");
        if (end - i == 1 && s.charAt(i) == '*') return new NameAddr(null, "*", Map.of(), text);
        String display = null;
        if (s.charAt(i) == '"') {
            int qe = Chars.quotedEnd(s, i, end);
            if (qe < 0) throw new SipParseException("Unterminated quoted string in display name");
            display = s.substring(i + 1, qe - 1);
            i = Chars.skipLws(s, qe, end);
            if (i >= end || s.charAt(i) != '<') throw new SipParseException("Missing < after display name");
        } else {
            int j = i;
            // tokens and LWS; non-ASCII letters too, as phones send unquoted UTF-8 names
            while (j < end && (Chars.isToken(s.charAt(j)) || Chars.isLws(s.charAt(j)) || s.charAt(j) >= 0x80)) j++;
            if (j < end && s.charAt(j) == '<') {
                if (j > i) display = s.substring(i, j).strip();
                i = j;
            }
        }
        String uri;
        if (s.charAt(i) == '<') {
            int close = s.indexOf('>', i + 1);
            if (close < 0 || close >= end) throw new SipParseException("Missing > in address");
            uri = s.substring(i + 1, close);
            if (uri.isEmpty() || Chars.isLws(uri.charAt(0)) || Chars.isLws(uri.charAt(uri.length() - 1))) {
                throw new SipParseException("Whitespace or empty URI inside <>");
            }
            i = close + 1;
        } else {
            int ue = i;
            while (ue < end && s.charAt(ue) != ';' && !Chars.isLws(s.charAt(ue))) ue++;
            uri = s.substring(i, ue);
            if (s.indexOf('<', i) >= 0) throw new SipParseException("Invalid display name");
            if (uri.indexOf('?') >= 0 || uri.indexOf(',') >= 0) {
                throw new SipParseException("URI with ',' or '?' must be enclosed in <>");
            }
            i = ue;
        }
        checkUri(uri);
        Map<String, String> params = Params.parse(s, i, end, "address parameters");
        return new NameAddr(display, uri, params, text);
    }

    private static void checkUri(String uri) throws SipParseException {
        int colon = uri.indexOf(':');
        if (colon <= 0 || colon == uri.length() - 1 || !SipUri.isScheme(uri, colon)) {
            throw new SipParseException("Invalid URI in address");
        }
        for (int k = 0; k < uri.length(); k++) {
            char c = uri.charAt(k);
            if (c <= ' ' || c == '<' || c == '>' || c == '"' || c == 0x7f) {
                throw new SipParseException("Invalid character in address URI");
            }
        }
    }

    public String tag() {
        return params.get("tag");
    }

    public SipUri parsedUri() throws SipParseException {
        return SipUri.parse(uri);
    }
}
