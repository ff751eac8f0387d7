package dev.kemi.engine.cfg;

import java.util.regex.Pattern;

/** Kamailio's value conversions and helpers shared by the expression nodes. */
final class Values {
    private Values() {}

    /** int(undef)=0, int("abc")=0, int("12")=12. */
    static int toInt(Object v) {
        if (v instanceof Integer i) return i;
        if (v == null) return 0;
        if (v instanceof Boolean b) return b ? 1 : 0;
        String s = v.toString();
        if (s.isEmpty()) return 0;
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** str(undef)="". */
    static String toStr(Object v) {
        if (v == null) return "";
        return v instanceof String s ? s : v.toString();
    }

    /** A function result as a native return code: BOOL true 1 / false -1, NONE 1. */
    static int code(Object result) {
        if (result instanceof Integer i) return i;
        if (result instanceof Boolean b) return b ? 1 : -1;
        return 1;
    }

    /** Whether a string is a whole integer (for constant INT parameters given as "404"). */
    static Integer parseInt(String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Compiles a POSIX extended regex as Kamailio does (REG_EXTENDED | REG_ICASE). */
    static Pattern regex(String posix) {
        String s = posix;
        if (s.contains("[:")) {
            String[][] classes = {
                {"[:digit:]", "\\p{Digit}"}, {"[:alpha:]", "\\p{Alpha}"}, {"[:alnum:]", "\\p{Alnum}"},
                {"[:upper:]", "\\p{Upper}"}, {"[:lower:]", "\\p{Lower}"}, {"[:space:]", "\\s"},
                {"[:blank:]", "\\p{Blank}"}, {"[:punct:]", "\\p{Punct}"}, {"[:xdigit:]", "\\p{XDigit}"},
                {"[:cntrl:]", "\\p{Cntrl}"}, {"[:print:]", "\\p{Print}"}, {"[:graph:]", "\\p{Graph}"}};
            for (String[] c : classes) s = s.replace(c[0], c[1]);
        }
        return Pattern.compile(s, Pattern.CASE_INSENSITIVE);
    }
}
