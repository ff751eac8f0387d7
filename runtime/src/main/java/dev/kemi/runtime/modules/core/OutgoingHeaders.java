package dev.kemi.runtime.modules.core;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.transport.ListenSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Header edits that name the sending socket (Kamailio's SUBST_SND lumps, as path's Path
 * header): asked for in the script, made on each outgoing copy once its socket is known, by
 * {@link StatelessForward#prepareRequest} (forward() and every tm branch).
 */
public final class OutgoingHeaders {
    /** One edit of an outgoing copy. */
    public interface Edit {
        void apply(SipMessage out, ListenSocket outSocket);
    }

    private final List<Edit> edits = new ArrayList<>(1);

    private OutgoingHeaders() {}

    public static void add(MessageContext ctx, Edit e) {
        ctx.attachment(OutgoingHeaders.class, OutgoingHeaders::new).edits.add(e);
    }

    static void apply(MessageContext ctx, SipMessage out, ListenSocket outSocket) {
        OutgoingHeaders h = ctx.attachment(OutgoingHeaders.class);
        if (h == null || !out.markApplied(SipMessage.APPLIED_OUTGOING_HEADERS)) return;
        for (Edit e : h.edits) e.apply(out, outSocket);
    }
}
