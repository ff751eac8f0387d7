package dev.kemi.runtime.modules.registrar;

import dev.kemi.runtime.modules.usrloc.UContact;
import java.util.List;
import java.util.Locale;

/** Kamailio's method bit mask (METHOD_INVITE=1 ... METHOD_OTHER), for Allow and ;methods=. */
final class Methods {
    private static final List<String> NAMES = List.of("INVITE", "CANCEL", "ACK", "BYE", "INFO", "REGISTER",
            "SUBSCRIBE", "NOTIFY", "MESSAGE", "OPTIONS", "PRACK", "UPDATE", "REFER", "PUBLISH", "KDMQ", "GET",
            "POST", "PUT", "DELETE");
    static final int OTHER = 1 << 19;

    private Methods() {}

    static int bit(String method) {
        int i = NAMES.indexOf(method.toUpperCase(Locale.ROOT));
        return i < 0 ? OTHER : 1 << i;
    }

    /** The mask of a comma-separated method list. */
    static int parse(String list) {
        int m = 0;
        for (String s : list.split(",")) {
            String t = s.strip();
            if (!t.isEmpty()) m |= bit(t);
        }
        return m;
    }

    /** The methods of the Allow headers, or all when there is none. */
    static int allowed(List<String> allowHeaders) {
        if (allowHeaders.isEmpty()) return UContact.ALL_METHODS;
        int m = 0;
        for (String h : allowHeaders) m |= parse(h);
        return m;
    }
}
