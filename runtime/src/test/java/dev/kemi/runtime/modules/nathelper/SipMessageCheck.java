package dev.kemi.runtime.modules.nathelper;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.sip.SipMessage;

final class SipMessageCheck {
    private SipMessageCheck() {}

    /** The message as sent parses and its Content-Length is the body's length. */
    static void contentLengthMatches(MessageContext c) {
        try {
            SipMessage out = SipMessage.parse(c.msg().toBytes());
            assertEquals(out.bodyLength(), out.contentLength());
        } catch (dev.kemi.runtime.sip.SipParseException e) {
            throw new AssertionError(e);
        }
    }
}
