package dev.kemi.runtime.sip;

/** CSeq: sequence number (32-bit unsigned) and method. */
public record CSeq(long number, String method) {
    public static CSeq parse(String text) throws SipParseException {
        throw new UnsupportedOperationException("TODO");
    }
}
