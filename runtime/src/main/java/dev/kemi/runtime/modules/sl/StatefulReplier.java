package dev.kemi.runtime.modules.sl;

import dev.kemi.runtime.core.MessageContext;

/**
 * Hook for tm: sl's send_reply() replies statefully when the request has a transaction. tm
 * registers one with {@link #register}; sl asks it first and falls back to a stateless reply
 * when it returns {@link #NO_TRANSACTION} or nothing is registered.
 */
public interface StatefulReplier {
    int NO_TRANSACTION = Integer.MIN_VALUE;

    /** Replies within the request's transaction; the tm return code, or NO_TRANSACTION. */
    int replyIfTransaction(MessageContext ctx, int code, String reason);

    static void register(StatefulReplier r) {
        Holder.replier = r;
    }

    static StatefulReplier registered() {
        return Holder.replier;
    }

    final class Holder {
        private static volatile StatefulReplier replier;

        private Holder() {}
    }
}
