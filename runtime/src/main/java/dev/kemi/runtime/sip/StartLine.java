package dev.kemi.runtime.sip;

/**
 * The first line of a message (RFC 3261 §7.1, §7.2), as offsets into the buffer: a Request-Line
 * (Method SP Request-URI SP SIP-Version, single spaces only) or a Status-Line (SIP-Version SP
 * 3DIGIT SP Reason-Phrase).
 *
 * @param start        first byte of the message (after leading CRLFs)
 * @param headersStart first byte after the line's LF
 */
record StartLine(boolean request, String method, int uriStart, int uriEnd, int status,
                 int reasonStart, int reasonEnd, int start, int headersStart) {

    private static final String[] METHODS = {
        "INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "PRACK", "SUBSCRIBE", "NOTIFY",
        "PUBLISH", "INFO", "REFER", "MESSAGE", "UPDATE",
    };

    static StartLine parse(byte[] data, int offset, int limit) throws SipParseException {
        int p = offset;
        while (p < limit && (data[p] == '\r' || data[p] == '\n')) p++;
        if (p == limit) throw new SipParseException("Empty message");
        int lf = HeaderIndex.indexOfLf(data, p, Math.min(limit, p + SipMessage.MAX_LINE_LENGTH));
        if (lf < 0) {
            throw new SipParseException(limit - p > SipMessage.MAX_LINE_LENGTH ? "First line too long" : "Missing end of first line");
        }
        int lineEnd = data[lf - 1] == '\r' ? lf - 1 : lf;
        if (lineEnd - p > 4 && Chars.equalsLower(data, p, p + 4, "sip/")) return statusLine(data, p, lineEnd, lf + 1);
        return requestLine(data, p, lineEnd, lf + 1);
    }

    private static StartLine statusLine(byte[] data, int p, int lineEnd, int next) throws SipParseException {
        int sp1 = indexOf(data, ' ', p, lineEnd);
        if (sp1 < 0) throw new SipParseException("Malformed Status-Line");
        checkVersion(data, p, sp1);
        int cs = sp1 + 1;
        int ce = indexOf(data, ' ', cs, lineEnd);
        if (ce < 0) ce = lineEnd;
        if (ce - cs != 3) throw new SipParseException("Invalid status code");
        int code = (int) Chars.parseUnsigned(data, cs, ce, 699);
        if (code < 100) throw new SipParseException("Invalid status code");
        return new StartLine(false, null, 0, 0, code, Math.min(ce + 1, lineEnd), lineEnd, p, next);
    }

    private static StartLine requestLine(byte[] data, int p, int lineEnd, int next) throws SipParseException {
        int sp1 = indexOf(data, ' ', p, lineEnd);
        if (sp1 < 0) throw new SipParseException("Malformed Request-Line");
        if (sp1 == p) throw new SipParseException("Missing method");
        for (int i = p; i < sp1; i++) {
            if (!Chars.isToken(data[i])) throw new SipParseException("Invalid method");
        }
        int us = sp1 + 1;
        int sp2 = indexOf(data, ' ', us, lineEnd);
        if (sp2 < 0) throw new SipParseException("Malformed Request-Line");
        if (sp2 == us) throw new SipParseException("Extra whitespace in Request-Line");
        checkRequestUri(data, us, sp2);
        if (indexOf(data, ' ', sp2 + 1, lineEnd) >= 0) {
            throw new SipParseException(data[lineEnd - 1] == ' '
                    ? "Trailing whitespace in Request-Line"
                    : "Whitespace in Request-URI");
        }
        checkVersion(data, sp2 + 1, lineEnd);
        return new StartLine(true, method(data, p, sp1), us, sp2, 0, 0, 0, p, next);
    }

    /** SIP/2.0 (any case); another well-formed version asks for 505. */
    private static void checkVersion(byte[] b, int from, int to) throws SipParseException {
        if (to - from == 7 && Chars.equalsLower(b, from, to, "sip/2.0")) return;
        int slash = from + 4;
        if (to - from > 4 && Chars.equalsLower(b, from, slash, "sip/")) {
            int dot = indexOf(b, '.', slash, to);
            if (dot > slash && Chars.parseUnsigned(b, slash, dot, Integer.MAX_VALUE) >= 0
                    && Chars.parseUnsigned(b, dot + 1, to, Integer.MAX_VALUE) >= 0) {
                throw new SipParseException("Version Not Supported", 505);
            }
        }
        throw new SipParseException("Malformed SIP version");
    }

    /** Request-URI = SIP-URI / SIPS-URI / absoluteURI: a scheme, a colon, no blanks or controls. */
    private static void checkRequestUri(byte[] b, int from, int to) throws SipParseException {
        if (b[from] == '<') throw new SipParseException("Request-URI enclosed in <>");
        int i = from;
        if (!Chars.isAlpha(b[i])) throw new SipParseException("Malformed Request-URI");
        while (i < to && (Chars.isAlpha(b[i]) || Chars.isDigit(b[i]) || b[i] == '+' || b[i] == '-' || b[i] == '.')) i++;
        if (i == to || b[i] != ':' || i + 1 == to) throw new SipParseException("Malformed Request-URI");
        for (; i < to; i++) {
            int c = b[i] & 0xff;
            if (c < 0x21 || c == 0x7f || c == '<' || c == '>' || c == '"') {
                throw new SipParseException("Invalid character in Request-URI");
            }
        }
    }

    /** The method, reusing the constant String for the common ones. */
    private static String method(byte[] b, int from, int to) {
        for (String m : METHODS) {
            if (m.length() == to - from) {
                int i = 0;
                while (i < m.length() && b[from + i] == m.charAt(i)) i++;
                if (i == m.length()) return m;
            }
        }
        return Chars.str(b, from, to);
    }

    /** text[from,to) as a method name, reusing the constant String for the common ones. */
    static String method(String text, int from, int to) {
        for (String m : METHODS) {
            if (m.length() == to - from && text.startsWith(m, from)) return m;
        }
        return text.substring(from, to);
    }

    private static int indexOf(byte[] b, int c, int from, int to) {
        for (int i = from; i < to; i++) if (b[i] == c) return i;
        return -1;
    }
}
