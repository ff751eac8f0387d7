package dev.kemi.runtime.sip;

/**
 * CSeq: sequence number and method. The number is kept as written: Kamailio's parser takes any
 * token there ({@code CSeq: abc INVITE} is relayed), and transactions match on that text;
 * {@code sanity_check()} and {@link SipMessage#validate()} are where it must be digits.
 */
public record CSeq(String number, String method) {
    public CSeq(long number, String method) {
        this(Long.toString(number), method);
    }

    /** Parses {@code token LWS Method}, as Kamailio's parse_cseq. */
    public static CSeq parse(String text) throws SipParseException {
        int end = text.length();
        int i = Chars.skipLws(text, 0, end);
        int d = i;
        while (d < end && !Chars.isLws(text.charAt(d))) d++;
        if (d == i) throw new SipParseException("Invalid CSeq number");
        int m = Chars.skipLws(text, d, end);
        if (m == d) throw new SipParseException("Missing CSeq method");
        int me = Chars.tokenEnd(text, m, end);
        if (me == m || Chars.skipLws(text, me, end) != end) throw new SipParseException("Invalid CSeq method");
        return new CSeq(text.substring(i, d), StartLine.method(text, m, me));
    }

    /** The number as a 32-bit unsigned value (leading zeros allowed), or -1 when it is not one. */
    public long value() {
        return Chars.parseUnsigned(number, 0, number.length(), 0xFFFFFFFFL);
    }
}
