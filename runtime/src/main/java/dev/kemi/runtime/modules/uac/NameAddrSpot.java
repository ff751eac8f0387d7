package dev.kemi.runtime.modules.uac;

import dev.kemi.runtime.sip.Header;
import dev.kemi.runtime.sip.SipMessage;

/**
 * Where the parts of the first From or To header sit in the received bytes (Kamailio's to_body:
 * body, display, uri), so they can be edited as Kamailio's lumps edit them.
 *
 * @param bodyStart offset of the value's first non-blank byte
 * @param displayStart offset of the display name (quotes included), -1 if none
 * @param displayEnd offset after it
 * @param lt offset of '<', -1 for a bare addr-spec
 * @param uriStart offset of the URI
 * @param uriEnd offset after the URI
 * @param addrEnd offset after the URI, the blanks after it and '>' (what a reply restore replaces)
 */
record NameAddrSpot(int bodyStart, int displayStart, int displayEnd, int lt, int uriStart, int uriEnd, int addrEnd, String uri) {

    /** The first header of that canonical name ("from", "to"), or null if absent or unparsable. */
    static NameAddrSpot of(SipMessage msg, String canonical) {
        for (Header h : msg.allHeaders()) {
            if (!h.canonicalName().equals(canonical)) continue;
            String f = msg.receivedText(h.start(), h.end());
            int colon = f.indexOf(':');
            return colon < 0 ? null : parse(f, h.start(), colon + 1);
        }
        return null;
    }

    private static boolean blank(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    static NameAddrSpot parse(String f, int base, int from) {
        int end = f.length();
        while (end > from && blank(f.charAt(end - 1))) end--;
        int i = from;
        while (i < end && blank(f.charAt(i))) i++;
        if (i >= end) return null;
        int body = i;
        int dStart = -1, dEnd = -1, lt;
        if (f.charAt(i) == '"') {
            int q = i + 1;
            while (q < end && f.charAt(q) != '"') q += f.charAt(q) == '\\' ? 2 : 1;
            if (q >= end) return null;
            dStart = i;
            dEnd = q + 1;
            lt = f.indexOf('<', dEnd);
            if (lt < 0 || !f.substring(dEnd, lt).isBlank()) return null;
        } else {
            lt = -1;
            for (int k = i; k < end; k++) {
                char c = f.charAt(k);
                if (c == '<') {
                    lt = k;
                    break;
                }
                if (c == ';' || c == '"') break;
            }
            if (lt > i) {
                int e = lt;
                while (e > i && blank(f.charAt(e - 1))) e--;
                dStart = i;
                dEnd = e;
            }
        }
        int uStart, uEnd, addrEnd;
        if (lt >= 0) {
            uStart = lt + 1;
            int gt = f.indexOf('>', uStart);
            if (gt < 0 || gt > end) return null;
            uEnd = gt;
            addrEnd = gt + 1;
        } else {
            uStart = i;
            uEnd = i;
            while (uEnd < end && f.charAt(uEnd) != ';' && !blank(f.charAt(uEnd))) uEnd++;
            addrEnd = uEnd;
        }
        if (uEnd <= uStart) return null;
        return new NameAddrSpot(base + body, dStart < 0 ? -1 : base + dStart, dEnd < 0 ? -1 : base + dEnd,
                lt < 0 ? -1 : base + lt, base + uStart, base + uEnd, base + addrEnd, f.substring(uStart, uEnd));
    }

    boolean hasDisplay() {
        return displayStart >= 0 && displayEnd > displayStart;
    }
}
