package dev.kemi.runtime.modules.dialog;

import dev.kemi.runtime.core.MessageContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kamailio's per-message dialog context (_dlg_ctx, the pending profile linkers and the local
 * variable list) as an attachment of the message being routed.
 */
final class DlgCtx {
    /** The dialog of this message (created or matched), null if none yet. */
    Dialog dlg;
    int dir;
    /** Created here by dlg_manage (destroyed after the script if no transaction took it). */
    boolean created;
    // $dlg_ctx(...) values, given to the dialog when it is created
    int on, flags, iflags, timeout, toBye;
    String toRoute;
    /** $DLG_status / $DLG_lifetime of the in-dialog request that matched (-1 none). */
    int curStatus = -1, curLifetime;
    /** A set_dlg_profile before the dialog exists. */
    record PendingProfile(DlgProfiles.Profile profile, String value) {}

    /** set_dlg_profile before the dialog exists: linked when it is created. */
    final List<PendingProfile> pendingProfiles = new ArrayList<>();
    /** $dlg_var set before the dialog exists. */
    final Map<String, String> localVars = new LinkedHashMap<>();

    static DlgCtx of(MessageContext ctx) {
        return ctx.attachment(DlgCtx.class, DlgCtx::new);
    }

    static DlgCtx peek(MessageContext ctx) {
        return ctx.attachment(DlgCtx.class);
    }
}
