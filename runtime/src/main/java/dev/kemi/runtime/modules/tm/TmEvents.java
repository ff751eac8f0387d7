package dev.kemi.runtime.modules.tm;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.sip.SipMessage;

/** tm's transaction callbacks for other modules (Kamailio's register_tmcb role), e.g. acc. */
public interface TmEvents {
    /** Adds a listener for every transaction of this proxy; call at init. */
    void addListener(Listener l);

    /** Runs on the worker that owns the transaction. */
    interface Listener {
        /** A transaction was created for the request in {@code ctx} (TMCB_REQUEST_IN), before it is relayed. */
        default void requestIn(Transaction t, MessageContext ctx) {}

        /**
         * A provisional reply above 100 or the first final is about to go upstream (TMCB_RESPONSE_READY):
         * what must hold before the UAC can answer it (dialog state before the ACK) is done here.
         *
         * @param reply the relayed reply, or null for one tm generated
         * @param winner for a final, the branch whose reply it is (or the picked branch for a local negative), or null
         */
        default void replyReady(Transaction t, int code, SipMessage reply, Branch winner) {}

        /**
         * A reply matched one of the transaction's branches, before any reply route (TMCB_RESPONSE_IN):
         * the listener may edit {@code reply.msg()}, which is what gets relayed.
         */
        default void responseIn(Transaction t, MessageContext reply) {}

        /**
         * The first final reply went upstream (TMCB_RESPONSE_OUT for a final).
         *
         * @param reply the relayed reply, or null for one tm generated (Kamailio's FAKED_REPLY)
         * @param winner the branch whose reply it is (or the picked branch for a local negative), or null
         */
        default void responseOut(Transaction t, int code, String reason, SipMessage reply, Branch winner) {}

        /** Every branch ended negative, before failure_route (TMCB_ON_FAILURE); the listener may change {@link Transaction#setFlags}. */
        default void onFailure(Transaction t, int code, String reason, SipMessage reply, Branch winner) {}
    }
}
