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
        return Pattern.compile(posixToJava(posix), Pattern.CASE_INSENSITIVE);
    }

    private static final String[][] CLASSES = {
        {"digit", "\\p{Digit}"}, {"alpha", "\\p{Alpha}"}, {"alnum", "\\p{Alnum}"}, {"upper", "\\p{Upper}"},
        {"lower", "\\p{Lower}"}, {"space", "\\s"}, {"blank", "\\p{Blank}"}, {"punct", "\\p{Punct}"},
        {"xdigit", "\\p{XDigit}"}, {"cntrl", "\\p{Cntrl}"}, {"print", "\\p{Print}"}, {"graph", "\\p{Graph}"}};

    /**
     * Rewrites the POSIX ERE constructs java.util.regex reads differently: [:class:] names,
     * a backslash or '[' inside brackets (literal in POSIX), and a repetition operator with
     * nothing before it ("^(+|00)"), which glibc takes literally.
     */
    static String posixToJava(String re) {
        StringBuilder out = new StringBuilder(re.length() + 8);
        char prev = 0; // last significant character outside brackets; 0 = start
        int i = 0;
        while (i < re.length()) {
            char c = re.charAt(i);
            if (c == '\\' && i + 1 < re.length()) {
                out.append(c).append(re.charAt(i + 1));
                i += 2;
                prev = 'a';
                continue;
            }
            if (c == '[') {
                i = bracket(re, i, out);
                prev = 'a';
                continue;
            }
            boolean repeat = c == '*' || c == '+' || c == '?' || c == '{';
            if (repeat && (prev == 0 || prev == '(' || prev == '|' || prev == '^')) out.append('\\');
            out.append(c);
            prev = c;
            i++;
        }
        return out.toString();
    }

    /** Copies a bracket expression starting at '['; returns the index after its ']'. */
    private static int bracket(String re, int i, StringBuilder out) {
        out.append('[');
        i++;
        if (i < re.length() && re.charAt(i) == '^') {
            out.append('^');
            i++;
        }
        boolean first = true;
        while (i < re.length()) {
            char c = re.charAt(i);
            if (c == ']' && !first) {
                out.append(']');
                return i + 1;
            }
            first = false;
            if (c == '[' && i + 1 < re.length() && re.charAt(i + 1) == ':') {
                int close = re.indexOf(":]", i + 2);
                if (close > 0) {
                    String name = re.substring(i + 2, close);
                    String cls = null;
                    for (String[] k : CLASSES) if (k[0].equals(name)) cls = k[1];
                    if (cls != null) {
                        out.append(cls);
                        i = close + 2;
                        continue;
                    }
                }
            }
            if (c == '\\' || c == '[' || c == ']' || c == '&') out.append('\\');
            out.append(c);
            i++;
        }
        return i; // unclosed: Pattern.compile reports it
    }
}
