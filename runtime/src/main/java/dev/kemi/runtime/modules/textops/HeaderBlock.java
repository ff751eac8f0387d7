package dev.kemi.runtime.modules.textops;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.sip.Header;
import dev.kemi.runtime.sip.SipMessage;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Text operations over the received header fields, one field ("Name: value\r\n", folding
 * included) at a time, as Kamailio's lumps work on the received buffer: a changed field is
 * replaced in place; changing a field a second time is not possible (Kamailio's overlapping
 * lumps), so it is skipped with a warning.
 */
final class HeaderBlock {
    /** Start offsets of the fields already replaced in this message. */
    private final Set<Integer> replaced = new HashSet<>();

    private HeaderBlock() {}

    /**
     * Runs f over the fields in order; f gives the new text of a field, or null if it does not
     * match. Stops after the first match unless {@code all}. Returns the number of matches.
     */
    static int rewrite(MessageContext ctx, boolean all, UnaryOperator<String> f) {
        SipMessage m = ctx.msg();
        byte[] raw = m.rawBytes();
        int matches = 0;
        for (Header h : m.allHeaders()) {
            String text = new String(raw, h.start(), h.end() - h.start(), StandardCharsets.ISO_8859_1);
            String next = f.apply(text);
            if (next == null) continue;
            matches++;
            if (!next.equals(text)) replace(ctx, h, next);
            if (!all) break;
        }
        return matches;
    }

    private static void replace(MessageContext ctx, Header h, String text) {
        HeaderBlock st = ctx.attachment(HeaderBlock.class, HeaderBlock::new);
        if (!st.replaced.add(h.start())) {
            ScriptLog.log(ScriptLog.WARN, "textops: header " + h.name() + " already changed, second change ignored");
            return;
        }
        ctx.msg().replaceHeader(h, text);
    }
}
