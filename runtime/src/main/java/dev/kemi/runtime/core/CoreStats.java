package dev.kemi.runtime.core;

import dev.kemi.runtime.stats.Statistics;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import java.util.Locale;
import java.util.Set;

/** The core's receive statistics (Kamailio's kex core_stats: core:rcv_requests ...). */
final class CoreStats {
    private static final Set<String> METHODS = Set.of("invite", "cancel", "ack", "bye", "info", "register", "subscribe",
            "notify", "message", "options", "prack", "update", "refer", "publish");
    /** The methods kex counts replies of per class (rcv_replies_4xx_reg ...), by CSeq method. */
    private static final java.util.Map<String, String> REPLY_METHODS = java.util.Map.of("INVITE", "invite", "CANCEL", "cancel",
            "BYE", "bye", "REGISTER", "reg", "MESSAGE", "message", "PRACK", "prack", "UPDATE", "update", "REFER", "refer");

    private CoreStats() {}

    static void received(Statistics s, SipMessage m) {
        if (m.isRequest()) {
            s.counter("core", "rcv_requests").increment();
            String method = m.method().toLowerCase(Locale.ROOT);
            if (METHODS.contains(method)) s.counter("core", "rcv_requests_" + method).increment();
            else s.counter("core", "unsupported_methods").increment();
            return;
        }
        s.counter("core", "rcv_replies").increment();
        int c = m.status();
        if (c >= 100 && c < 200) {
            s.counter("core", "rcv_replies_1xx").increment();
            if (c >= 180 && c < 190) s.counter("core", "rcv_replies_18x").increment();
        } else if (c >= 200 && c < 700) {
            s.counter("core", "rcv_replies_" + (c / 100) + "xx").increment();
            if (c == 401 || c == 404 || c == 407 || c == 480 || c == 486) s.counter("core", "rcv_replies_" + c).increment();
        }
        if (c >= 100 && c < 700) {
            String method;
            try {
                method = REPLY_METHODS.get(m.cseq().method());
            } catch (SipParseException e) {
                return;
            }
            if (method != null) s.counter("core", "rcv_replies_" + (c / 100) + "xx_" + method).increment();
        }
    }
}
