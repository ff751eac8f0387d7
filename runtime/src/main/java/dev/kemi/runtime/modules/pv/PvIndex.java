package dev.kemi.runtime.modules.pv;

import dev.kemi.api.Pv;
import dev.kemi.api.PvProvider;
import dev.kemi.api.PvSpec;
import dev.kemi.api.ScriptContext;

/**
 * The [index] of a pseudo-variable: none, a literal (or [*], {@link PvSpec#ALL}), or a
 * pseudo-variable read per message, which must hold an int (Kamailio's pv_get_spec_index).
 */
public record PvIndex(Integer literal, Pv pv) {
    public static final PvIndex NONE = new PvIndex(null, null);

    public static PvIndex of(PvSpec spec, PvProvider pvs) {
        if (spec.indexPv() != null) return new PvIndex(null, pvs.resolve(spec.indexPv()));
        return spec.index() == null ? NONE : new PvIndex(spec.index(), null);
    }

    /** An index written inside a PV's name ($xavp(a[1]=>b[$var(i)])): blank, an int, * or a pseudo-variable. */
    public static PvIndex parse(String text, PvProvider pvs) {
        String t = text.strip();
        if (t.startsWith("$")) return new PvIndex(null, pvs.resolve(PvSpec.parse(t)));
        if (t.equals("*")) return new PvIndex(PvSpec.ALL, null);
        try {
            return new PvIndex(Integer.parseInt(t), null);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid index [" + t + "]");
        }
    }

    /** The index for this message; null when none is given. */
    public Integer at(ScriptContext ctx) {
        if (pv == null) return literal;
        if (!(pv.get(ctx) instanceof Integer i)) throw new IllegalArgumentException("invalid index value");
        return i;
    }
}
