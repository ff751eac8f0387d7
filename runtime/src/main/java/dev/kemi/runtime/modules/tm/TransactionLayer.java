package dev.kemi.runtime.modules.tm;

import dev.kemi.runtime.core.AfterRequestRoute;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ReplyHandler;

/**
 * What the core pipeline calls on tm (Kamailio's response_f and tm's post-script callback).
 * Requests, including ACK and CANCEL, go to the script first; the script drives tm through its
 * exported functions (t_check_trans, t_relay ...).
 */
public interface TransactionLayer extends ReplyHandler, AfterRequestRoute {
    /**
     * A reply received from the network, after the core reply_route ran and did not drop it.
     * Returns true when tm took it (it matched a transaction: do not forward it statelessly).
     */
    boolean onReply(MessageContext reply);

    /**
     * request_route finished for this request: tm sends its delayed error reply if forwarding
     * failed and the script did not reply statefully, and releases transactions the script
     * created but neither replied nor forwarded.
     */
    void afterRequestRoute(MessageContext request);

    /** Whether the request has a transaction (send_reply() replies statefully then). */
    boolean hasTransaction(MessageContext request);

    /** Stateful reply for a request (t_reply semantics); returns tm's code (1 ok, -1 error). */
    int reply(MessageContext request, int code, String reason);
}
