package dev.kemi.runtime.modules.pv;

import dev.kemi.api.Pv;
import dev.kemi.api.PvProvider;
import dev.kemi.api.PvSpecParser;
import dev.kemi.api.ScriptContext;
import java.util.ArrayList;
import java.util.List;

/** A Kamailio format string ("$avp(id)-$ci"): literal text and pseudo-variables, printed per message. */
public final class PvFormat {

    private final List<Object> parts = new ArrayList<>();

    /** @throws IllegalArgumentException for an unknown variable */
    public PvFormat(String format, PvProvider provider) {
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i);
            if (c == '$' && i + 1 < format.length() && format.charAt(i + 1) != '$') {
                if (!literal.isEmpty()) {
                    parts.add(literal.toString());
                    literal.setLength(0);
                }
                PvSpecParser parser = new PvSpecParser(format, i);
                parts.add(provider.resolve(parser.parse()));
                i = parser.position();
            } else {
                literal.append(c);
                i += c == '$' ? 2 : 1;
            }
        }
        if (!literal.isEmpty()) {
            parts.add(literal.toString());
        }
    }

    public String print(ScriptContext ctx) {
        StringBuilder out = new StringBuilder();
        for (Object p : parts) {
            if (p instanceof Pv pv) {
                Object v = pv.get(ctx);
                out.append(v == null ? "<null>" : v);
            } else {
                out.append(p);
            }
        }
        return out.toString();
    }
}
