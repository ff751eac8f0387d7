package dev.kemi.runtime.sip;

/** A message that is not valid SIP; the reason is fit for a 400 reason phrase or a log line. */
public class SipParseException extends Exception {
    public SipParseException(String reason) {
        super(reason);
    }
}
