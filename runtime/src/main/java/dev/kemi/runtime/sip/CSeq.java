package dev.kemi.runtime.sip;

/** CSeq: sequence number (32-bit unsigned) and method. */
public record CSeq(long number, String method) {
    /** Parses {@code 1*DIGIT LWS Method}; leading zeros allowed, at most 2^32-1. */
    public static CSeq parse(String text) throws SipParseException {
        int end = text.length();
        int i = Chars.skipLws(text, 0, end);
        int d = i;
        while (d < end && Chars.isDigit(text.charAt(d))) d++;
        if (d == i) throw new SipParseException("Invalid CSeq number");
        long n = Chars.parseUnsigned(text, i, d, 0xFFFFFFFFL);
        if (n < 0) throw new SipParseException("CSeq number out of range");
        int m = Chars.skipLws(text, d, end);
        if (m == d) throw new SipParseException("Missing CSeq method");
        int me = Chars.tokenEnd(text, m, end);
        if (me == m || Chars.skipLws(text, me, end) != end) throw new SipParseException("Invalid CSeq method");
        return new CSeq(n, StartLine.method(text, m, me));
    }
}
