package dev.kemi.runtime.modules.core;

import dev.kemi.runtime.core.MessageContext;

/** What corex asked to add to our Via of a relayed request (via_add_srvid ...). */
public final class ViaParams {
    public boolean srvid;
    public boolean xavpParams;
    public boolean xavpFields;

    private ViaParams() {}

    public static ViaParams of(MessageContext ctx) {
        return ctx.attachment(ViaParams.class, ViaParams::new);
    }

    /** ";srvid=N" when asked and server_id is set, as Kamailio's via builder. */
    static String suffix(MessageContext ctx) {
        ViaParams p = ctx.attachment(ViaParams.class);
        if (p == null || !p.srvid) return "";
        String id = ctx.services().globalParam("server_id");
        return id == null || id.trim().equals("0") ? "" : ";srvid=" + id.trim();
    }
}
