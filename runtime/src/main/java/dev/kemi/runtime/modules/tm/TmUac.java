package dev.kemi.runtime.modules.tm;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.transport.ListenSocket;
import java.util.List;
import java.util.function.Consumer;

/**
 * tm's local requests for other modules (Kamailio's t_uac / t_request_within through the tm
 * API, as dialog's BYEs and uac's requests use them): one client transaction, laid out as
 * build_uac_req, retransmitted from retr_timer1 to retr_timer2 over UDP, ended by the final
 * reply or by fr_timer / fr_inv_timer, counted in tm's statistics. Bound with
 * {@code services.api(TmUac.class, "dialog", "tm")}.
 */
public interface TmUac {
    /**
     * Sends the request; false when it cannot be built or sent (then {@code done} never runs).
     * {@code done} gets the final reply once, on the worker owning the request's Call-ID.
     */
    boolean request(Request r, Consumer<Reply> done);

    /**
     * What a local request is made of (uac_req_t).
     *
     * @param headers extra header fields, each ending in CRLF (a Max-Forwards among them replaces tm's), or null
     * @param nextHop URI the request goes to instead of the first route / R-URI, or null
     * @param socket socket to send from (used when its protocol fits the next hop), or null
     */
    record Request(String method, String ruri, Dlg dialog, String headers, String body, String nextHop,
                   ListenSocket socket) {}

    /**
     * The dialog the request is in or starts (dlg_t).
     *
     * @param callId null: tm makes one
     * @param localTag From-tag; null: tm makes one
     * @param remoteTag To-tag, null for none
     * @param routeSet name-addrs of the Route header, in order (the first is the next hop)
     */
    record Dlg(String callId, String localUri, String localTag, String remoteUri, String remoteTag, long cseq,
               List<String> routeSet) {
        /** A new dialog: no Call-ID, tags or route set yet, CSeq 10 (tm's default). */
        public static Dlg fresh(String localUri, String remoteUri) {
            return new Dlg(null, localUri, null, remoteUri, null, 10, List.of());
        }
    }

    /** The final: a received reply, or tm's own 408 (timeout) / 477 (send failure) with {@code reply} null. */
    record Reply(int code, String reason, MessageContext reply) {
        public SipMessage msg() {
            return reply == null ? null : reply.msg();
        }
    }
}
