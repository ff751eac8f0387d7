package dev.kemi.runtime.modules.pv;

import dev.kemi.runtime.core.MessageContext;

/**
 * tm's API for the pv module: the values of $T_branch_idx, $T_reply_code, $T_reply_reason ...
 * The tm module implements it; without tm loaded they read as null.
 */
public interface TmValues {
    /**
     * @param name PV name without '$', e.g. "T_branch_idx"
     * @return Integer, String or null
     */
    Object tmValue(String name, MessageContext ctx);
}
