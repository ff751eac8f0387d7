package dev.kemi.runtime.modules.rtpproxy;

import java.util.ArrayList;
import java.util.List;

/** Reading relay replies the way Kamailio does (atoi, whitespace tokens, at most 10). */
final class ReplyParser {

    /** C atoi: optional blanks and sign, then digits; 0 when there are none. */
    static int atoi(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long v = 0;
        while (i < n && Character.isDigit(s.charAt(i)) && v < Integer.MAX_VALUE) {
            v = v * 10 + (s.charAt(i++) - '0');
        }
        return (int) (negative ? -v : Math.min(v, Integer.MAX_VALUE));
    }

    static List<String> tokens(String reply) {
        List<String> out = new ArrayList<>(3);
        for (String t : reply.strip().split("[ \\t\\r\\n]+")) {
            if (!t.isEmpty() && out.size() < 10) {
                out.add(t);
            }
        }
        return out;
    }

    private ReplyParser() {
    }
}
