package dev.kemi.runtime.modules.dialog;

import dev.kemi.runtime.core.MessageContext;

/**
 * What other modules use of dialog (Kamailio's load_dlg / dlg_binds role: dispatcher's call
 * load, for one). Bound with {@code services.api(DialogApi.class, "dispatcher", "dialog")}.
 */
public interface DialogApi {
    /** A tracked dialog as other modules see it. */
    interface Dlg {
        int hashEntry();

        int hashId();

        String callId();

        String fromTag();

        /** The callee's tag, null before a reply with one. */
        String toTag();

        /** 1 unconfirmed, 2 early, 3 confirmed without ACK, 4 confirmed, 5 deleted. */
        int state();
    }

    /** Dialog life events (Kamailio's DLGCB_CREATED, CONFIRMED, TERMINATED, FAILED, EXPIRED); run on the call's worker. */
    interface Listener {
        default void created(Dlg d, MessageContext request) {}

        default void confirmed(Dlg d) {}

        /** Ended by a BYE (from a UA, dlg_bye or a timeout's BYEs). */
        default void terminated(Dlg d) {}

        /** No 2xx: a negative final reply. */
        default void failed(Dlg d) {}

        /** The lifetime ran out without BYEs sent. */
        default void expired(Dlg d) {}
    }

    /** Adds a listener for every dialog of this proxy; call at init. */
    void addListener(Listener l);

    /** The dialog of the message (created or matched in this request, or of its transaction), or null. */
    Dlg dialogOf(MessageContext ctx);

    /** dlg_bye_all: BYE to both ends; false when the dialog is not confirmed. */
    boolean terminate(Dlg d, String extraHeaders);

    /** A dialog variable, or null. */
    String var(Dlg d, String name);

    /** Sets (null removes) a dialog variable. */
    void setVar(Dlg d, String name, String value);
}
