package dev.kemi.runtime.modules.tm;

import dev.kemi.runtime.sip.Header;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import java.util.ArrayList;
import java.util.List;

/** The requests tm builds itself: hop-by-hop CANCEL and ACK. */
final class TmMessages {
    private TmMessages() {}

    /** CANCEL for a branch, built from the INVITE as sent (reparse_invite). */
    static byte[] cancel(Branch b, String reasonHeader) throws SipParseException {
        return fromSentInvite(b, "CANCEL", null, reasonHeader);
    }

    /** ACK for a negative final reply on a branch (RFC 3261 §17.1.1.3), To taken from the reply. */
    static byte[] ack(Branch b, SipMessage reply) throws SipParseException {
        return fromSentInvite(b, "ACK", reply.header("To"), null);
    }

    /**
     * Copies, in the sent INVITE's order, the fields a CANCEL or ACK keeps: our Via, From, To,
     * Call-ID, CSeq (method replaced), Route and Max-Forwards, as tm's build_local_reparse does.
     */
    private static byte[] fromSentInvite(Branch b, String method, String to, String extra) throws SipParseException {
        SipMessage sent = SipMessage.parse(b.bytes);
        List<String> h = new ArrayList<>();
        boolean via = false;
        for (Header f : sent.allHeaders()) {
            switch (f.canonicalName()) {
                case "via" -> {
                    if (!via) h.add("Via: " + sent.topVia().text());
                    via = true;
                }
                case "from" -> h.add("From: " + f.value());
                case "to" -> h.add("To: " + (to != null ? to : f.value()));
                case "call-id" -> h.add("Call-ID: " + f.value());
                case "cseq" -> h.add("CSeq: " + sent.cseq().number() + ' ' + method);
                case "route" -> h.add("Route: " + f.value());
                case "max-forwards" -> h.add("Max-Forwards: " + f.value());
                default -> { }
            }
        }
        if (extra != null) h.add(extra);
        return SipMessage.request(method, sent.requestUri(), h, null).toBytes();
    }
}
