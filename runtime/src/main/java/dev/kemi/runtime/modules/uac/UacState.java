package dev.kemi.runtime.modules.uac;

import dev.kemi.runtime.core.MessageContext;

/**
 * uac's marks on a request (Kamailio's FL_USE_UAC_FROM / FL_USE_UAC_TO message flags and the
 * TMCB_RESPONSE_IN callback registered for the transaction): kept on the request_route context,
 * which the transaction keeps, so its replies can be restored.
 */
final class UacState {
    boolean from;
    boolean to;
    /** Replies of the transaction get From/To restored (Kamailio registered restore_uris_reply). */
    boolean restoreReplies;

    static UacState of(MessageContext ctx) {
        return ctx.attachment(UacState.class, UacState::new);
    }

    static UacState peek(MessageContext ctx) {
        return ctx.attachment(UacState.class);
    }
}
