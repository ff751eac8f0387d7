package dev.kemi.runtime.modules;

import dev.kemi.runtime.core.MessageContext;

/**
 * The first Contact URI of a message as nathelper's fix_nated_contact / set_contact_alias
 * rewrote it. In Kamailio those functions move the parsed contact's URI to the new text, so
 * whatever parses the Contact later in the same message (registrar's save(), nathelper's own
 * tests) sees the rewritten URI while the received bytes stay as they were.
 */
public record ContactRewrite(String uri) {
    /** The rewritten first Contact URI, or null. */
    public static String of(MessageContext ctx) {
        ContactRewrite r = ctx.attachment(ContactRewrite.class);
        return r == null ? null : r.uri;
    }

    public static void set(MessageContext ctx, String uri) {
        ctx.attach(ContactRewrite.class, new ContactRewrite(uri));
    }
}
