package dev.kemi.runtime.sip;

/** The strict checks of {@link SipMessage#validate()}. */
final class MessageValidator {
    private MessageValidator() {}

    private static final long MAX_32 = 0xFFFFFFFFL;

    static void validate(SipMessage m) throws SipParseException {
        if (m.bodyShort()) throw new SipParseException("Content-Length larger than message");
        m.vias();
        single(m, HeaderNames.FROM, true);
        single(m, HeaderNames.TO, true);
        single(m, HeaderNames.CALL_ID, true);
        single(m, HeaderNames.CSEQ, true);
        single(m, HeaderNames.MAX_FORWARDS, false);
        single(m, HeaderNames.CONTENT_TYPE, false);
        m.from();
        m.to();
        String callId = m.callId();
        if (callId.isEmpty() || callId.indexOf(' ') >= 0) throw new SipParseException("Invalid Call-ID");
        CSeq cseq = m.cseq();
        if (cseq.value() < 0) {
            throw new SipParseException(cseq.number().chars().allMatch(Chars::isDigit) ? "CSeq number out of range" : "Invalid CSeq number");
        }
        m.maxForwards();
        if (m.isRequest()) {
            if (!cseq.method().equals(m.method())) {
                throw new SipParseException("CSeq method does not match request method");
            }
            m.parsedRequestUri();
        }
        for (NameAddr c : m.contacts()) {
            String exp = c.params().get("expires");
            if (exp != null && Chars.parseUnsigned(exp, 0, exp.length(), MAX_32) < 0) {
                throw new SipParseException("Invalid Contact expires");
            }
        }
        m.routes();
        m.recordRoutes();
        for (String e : m.headers("Expires")) {
            if (Chars.parseUnsigned(e, 0, e.length(), MAX_32) < 0) throw new SipParseException("Invalid Expires");
        }
        for (String r : m.headers("Retry-After")) {
            int d = 0;
            while (d < r.length() && Chars.isDigit(r.charAt(d))) d++;
            if (Chars.parseUnsigned(r, 0, d, MAX_32) < 0) throw new SipParseException("Invalid Retry-After");
        }
        for (String d : m.headers("Date")) {
            if (!d.endsWith(" GMT")) throw new SipParseException("Invalid Date (must be GMT)");
        }
    }

    private static void single(SipMessage m, int id, boolean required) throws SipParseException {
        int first = m.find(id, null, 0);
        if (first < 0) {
            if (required) throw new SipParseException("Missing " + HeaderNames.name(id) + " header");
            return;
        }
        if (m.find(id, null, first + 1) >= 0) {
            throw new SipParseException("Multiple " + HeaderNames.name(id) + " headers");
        }
    }
}
