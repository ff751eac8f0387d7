package dev.kemi.runtime.core;

/**
 * A module that takes received replies, as Kamailio's tm does through its response callback:
 * called for every reply after the core reply_route, unless that dropped it, and before the
 * reply is relayed statelessly. A loaded module implementing this interface is registered
 * automatically.
 */
public interface ReplyHandler {
    /** @return true if the reply was taken (it matched a transaction), false to relay it statelessly */
    boolean onReply(MessageContext ctx);
}
