package dev.kemi.runtime.modules.sl;

import dev.kemi.runtime.core.MessageContext;

/**
 * tm's API for sl (Kamailio's sl binds tm's t_reply the same way): send_reply() replies
 * statefully when the request has a transaction. The tm module implements it; sl falls back to
 * a stateless reply when it returns {@link #NO_TRANSACTION} or tm is not loaded.
 */
public interface StatefulReplier {
    int NO_TRANSACTION = Integer.MIN_VALUE;

    /** Replies within the request's transaction; the tm return code, or NO_TRANSACTION. */
    int replyIfTransaction(MessageContext ctx, int code, String reason);
}
