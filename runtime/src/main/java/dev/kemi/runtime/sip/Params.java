package dev.kemi.runtime.sip;

import java.util.Map;

/** Header parameters: *( SEMI generic-param ), RFC 3261 §25.1 (LWS allowed around ; and =). */
final class Params {
    private Params() {}

    /**
     * Parses parameters from s[i, end) into an ordered map (lower-case names, "" for flags,
     * quoted values kept with their quotes). The first occurrence of a name wins.
     */
    static Map<String, String> parse(String s, int i, int end, String what) throws SipParseException {
        ParamMap out = null;
        while (true) {
            i = Chars.skipLws(s, i, end);
            if (i >= end) break;
            if (s.charAt(i) != ';') {
                throw new SipParseException("Unexpected character '" + s.charAt(i) + "' in " + what);
            }
            i = Chars.skipLws(s, i + 1, end);
            int nameEnd = Chars.tokenEnd(s, i, end);
            if (nameEnd == i) throw new SipParseException("Empty parameter in " + what);
            String name = Chars.name(s, i, nameEnd, false);
            i = Chars.skipLws(s, nameEnd, end);
            String value = "";
            if (i < end && s.charAt(i) == '=') {
                i = Chars.skipLws(s, i + 1, end);
                int ve;
                if (i < end && s.charAt(i) == '"') {
                    ve = Chars.quotedEnd(s, i, end);
                    if (ve < 0) throw new SipParseException("Unterminated quoted string in " + what);
                } else if (i < end && s.charAt(i) == '[') {
                    ve = s.indexOf(']', i);
                    if (ve < 0 || ve >= end) throw new SipParseException("Unterminated IPv6 reference in " + what);
                    ve++;
                } else {
                    ve = i;
                    while (ve < end && (Chars.isToken(s.charAt(ve)) || s.charAt(ve) == ':')) ve++;
                    if (ve == i) throw new SipParseException("Empty value of parameter " + name + " in " + what);
                }
                value = s.substring(i, ve);
                i = ve;
            }
            if (out == null) out = new ParamMap();
            out.putFirst(name, value);
        }
        return out == null ? Map.of() : out;
    }
}
