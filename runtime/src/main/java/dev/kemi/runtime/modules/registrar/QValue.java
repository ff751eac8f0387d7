package dev.kemi.runtime.modules.registrar;

import dev.kemi.runtime.modules.usrloc.UContact;

/** q-values in thousandths, parsed and printed as Kamailio's str2q / q2str. */
final class QValue {
    private QValue() {}

    /** "0", "0.5", "1", "1.000", ".7" ...; -1 for anything else. */
    static int parse(String s) {
        s = s.stripLeading();
        while (s.length() > 1 && s.charAt(0) == '0' && (s.charAt(1) == '0' || s.charAt(1) == '1')) s = s.substring(1);
        if (s.isEmpty()) return -1;
        int i = 0;
        int whole = 0;
        if (s.charAt(0) == '0' || s.charAt(0) == '1') {
            whole = s.charAt(0) - '0';
            i = 1;
        } else if (s.charAt(0) != '.') {
            return -1;
        }
        if (i == s.length()) return whole * 1000;
        if (s.charAt(i) != '.') return -1;
        i++;
        int frac = 0;
        int digits = 0;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9' || digits == 3) return -1;
            frac = frac * 10 + (c - '0');
            digits++;
        }
        while (digits++ < 3) frac *= 10;
        if (whole == 1 && frac != 0) return -1;
        return whole * 1000 + frac;
    }

    static String toText(int q) {
        if (q == UContact.Q_UNSPECIFIED) return "";
        if (q <= 0) return "0";
        if (q >= 1000) return "1";
        StringBuilder b = new StringBuilder("0.");
        b.append((char) ('0' + q / 100));
        q %= 100;
        if (q != 0) {
            b.append((char) ('0' + q / 10));
            q %= 10;
            if (q != 0) b.append((char) ('0' + q));
        }
        return b.toString();
    }
}
