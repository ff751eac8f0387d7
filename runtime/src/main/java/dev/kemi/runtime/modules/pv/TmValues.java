package dev.kemi.runtime.modules.pv;

import dev.kemi.runtime.core.MessageContext;

/**
 * Hook for tm's pseudo-variables ($T_branch_idx, $T_reply_code, $T_reply_reason ...). tm
 * registers one; without it they read as null. Return Integer or String or null.
 */
public interface TmValues {
    /** @param name PV name without '$', e.g. "T_branch_idx" */
    Object get(String name, MessageContext ctx);

    /** Whether tm provides this name (checked once when a script resolves it). */
    boolean provides(String name);

    static void register(TmValues values) {
        Holder.values = values;
    }

    static TmValues registered() {
        return Holder.values;
    }

    final class Holder {
        private static volatile TmValues values;

        private Holder() {}
    }
}
