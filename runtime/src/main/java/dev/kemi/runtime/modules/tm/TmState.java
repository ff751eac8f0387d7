package dev.kemi.runtime.modules.tm;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.pv.AvpStore;

/**
 * tm's per-message state (a MessageContext attachment): the transaction the message belongs to,
 * the routes armed before a transaction exists, and what request processing did with it
 * (Kamailio's T, goto_on_* and "kr").
 */
final class TmState {
    Transaction tx;
    /** Branch this context is about (reply, branch and failure routes); -1 if none. */
    int branch = -1;

    /**
     * Attaches this state to a message of the transaction's routes (failure, branch, onreply),
     * with the transaction's $avp and $xavp stores, so what request_route set is seen there.
     */
    void attachTo(MessageContext ctx) {
        ctx.attach(TmState.class, this);
        if (tx != null && tx.avps != null) ctx.attach(AvpStore.class, tx.avps);
        if (tx != null && tx.xavps != null) ctx.attach(dev.kemi.runtime.modules.pv.XavpStore.Lists.class, tx.xavps);
    }
    /** The branch object while a branch_route runs (t_on_reply there arms that branch). */
    Branch routeBranch;
    /** Routes armed before the transaction exists; the transaction starts with a copy. */
    final ArmedRoutes routes = new ArmedRoutes();
    Integer autoInv100, disableInternalReply, disable6xx, noE2eCancelReason;
    int frTimeout, frInvTimeout;
    int retrT1, retrT2, maxInvLifetime, maxNoninvLifetime;
    /** The request's R-URI was used for a branch already (until it is set again, see {@link #ruriNew}). */
    boolean ruriConsumed;
    /** SipMessage.requestUriSets() when the R-URI was consumed. */
    private int ruriSetsAtConsume;
    /** kr: a reply was sent statefully by the script / a branch was forwarded / error reply delayed. */
    boolean replied, forwarded, errorDelayed, released;
    int tmError;

    /** Kamailio's ruri_is_new: not used for a branch yet, or set again ($ru, rewrite*) since. */
    boolean ruriNew(dev.kemi.runtime.sip.SipMessage m) {
        return !ruriConsumed || m.requestUriSets() != ruriSetsAtConsume;
    }

    /** ruri_mark_consumed: used for a branch (t_relay), or a failure_route starting. */
    void consumeRuri(dev.kemi.runtime.sip.SipMessage m) {
        ruriConsumed = true;
        ruriSetsAtConsume = m.requestUriSets();
    }

    /** The per-transaction settings a script may change (t_set_*); unset ones take the modparam. */
    enum Setting { FR, LIFETIME, RETR, AUTO_INV_100, NO_INTERNAL_REPLY, DISABLE_6XX, NO_E2E_CANCEL_REASON }

    /** Gives the transaction every setting: this message's value, else the modparam. */
    void applyAll(Transaction t, TmConfig cfg) {
        for (Setting s : Setting.values()) apply(s, t, cfg);
    }

    /** Gives the transaction this message's value of one setting, else the modparam. */
    void apply(Setting s, Transaction t, TmConfig cfg) {
        switch (s) {
            case FR -> {
                t.settings.frTimeout = frTimeout > 0 ? frTimeout : cfg.frTimer;
                t.settings.frInvTimeout = frInvTimeout > 0 ? frInvTimeout : cfg.frInvTimer;
            }
            case LIFETIME -> {
                int v = t.invite ? maxInvLifetime : maxNoninvLifetime;
                t.settings.maxLifetime = v > 0 ? v : t.invite ? cfg.maxInvLifetime : cfg.maxNoninvLifetime;
            }
            case RETR -> {
                t.settings.retrT1 = retrT1 > 0 ? retrT1 : cfg.retrT1;
                t.settings.retrT2 = retrT2 > 0 ? retrT2 : cfg.retrT2;
            }
            case AUTO_INV_100 -> t.settings.autoInv100 = autoInv100 != null ? autoInv100 != 0 : cfg.autoInv100 != 0;
            case NO_INTERNAL_REPLY -> t.settings.disableInternalReply = disableInternalReply != null && disableInternalReply != 0;
            case DISABLE_6XX -> t.settings.disable6xx = disable6xx != null ? disable6xx != 0 : cfg.disable6xxBlock != 0;
            case NO_E2E_CANCEL_REASON -> t.settings.noE2eCancelReason = noE2eCancelReason != null
                    ? noE2eCancelReason != 0 : cfg.e2eCancelReason == 0;
        }
    }
}
