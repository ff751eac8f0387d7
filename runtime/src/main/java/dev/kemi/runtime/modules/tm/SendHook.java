package dev.kemi.runtime.modules.tm;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.transport.ListenSocket;

/**
 * Runs on every request tm is about to send on a branch, after our Via was added and before
 * serialization, knowing the outgoing socket: where rr inserts its Record-Route (whose address
 * depends on the socket) and where onsend_route can be run.
 */
@FunctionalInterface
public interface SendHook {
    /**
     * @param requestCtx the context that forwarded (request or failure route)
     * @param out        the branch's copy of the request
     * @param socket     the socket it leaves from
     */
    void beforeSend(MessageContext requestCtx, SipMessage out, ListenSocket socket);
}
