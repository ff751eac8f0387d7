package dev.kemi.runtime.sip;

/** A message that is not valid SIP; the reason is fit for a 400 reason phrase or a log line. */
public class SipParseException extends Exception {
    private final int replyCode;

    public SipParseException(String reason) {
        this(reason, 400);
    }

    /** @param replyCode the response a server sends for this error (400, 416, 505 ...) */
    public SipParseException(String reason, int replyCode) {
        super(reason, null, false, false);
        this.replyCode = replyCode;
    }

    /** Status code fit for answering a request that failed this way (400 unless more specific). */
    public int replyCode() {
        return replyCode;
    }
}
