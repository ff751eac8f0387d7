package dev.kemi.runtime.modules.core;

import dev.kemi.runtime.core.MessageContext;

/** add_local_rport(): our own Via on the relayed request asks for rport (RFC 3581). */
public final class LocalRport {
    private LocalRport() {}

    public static void set(MessageContext ctx) {
        ctx.attach(LocalRport.class, new LocalRport());
    }

    public static boolean isSet(MessageContext ctx) {
        return ctx.attachment(LocalRport.class) != null;
    }
}
