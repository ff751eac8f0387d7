package dev.kemi.runtime.modules.cfg;

import dev.kemi.api.Pv;
import dev.kemi.runtime.core.MessageContext;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The message selects Kamailio's core offers that we implement: {@code @via} / {@code @via[N]}
 * (the Nth Via value as received, trimmed; "" when there is none, as a missing Via compares
 * equal to "" in Kamailio's cfg).
 */
final class Selects {
    private static final Pattern VIA = Pattern.compile("@?via(?:\\[(\\d+)])?");

    private Selects() {}

    /** The PV for a select, or null if it is not one we implement. */
    static Pv resolve(String select) {
        Matcher m = VIA.matcher(select);
        if (!m.matches()) return null;
        int n = m.group(1) == null ? 1 : Integer.parseInt(m.group(1));
        if (n < 1) return null;
        return ctx -> {
            if (!(ctx instanceof MessageContext mc)) return "";
            List<String> vias = mc.msg().headerValues("Via");
            return n <= vias.size() ? vias.get(n - 1).strip() : "";
        };
    }
}
