package dev.kemi.engine.cfg;

import com.google.re2j.Pattern;

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

    /**
     * Compiles a POSIX extended regex as Kamailio does for {@code =~} (REG_EXTENDED | REG_ICASE,
     * no REG_NEWLINE: '.' matches a newline, ^ and $ only at the ends) on RE2/J: matching takes
     * time linear in the input and no stack, whatever the expression and the header (a
     * backtracking engine overflows its stack on "^(a|b)*$" against 5000 characters). POSIX
     * leftmost-longest, as glibc's regexec.
     *
     * @throws com.google.re2j.PatternSyntaxException for an invalid expression
     */
    static Pattern regex(String posix) {
        return Pattern.compile(posixToRe2(posix), Pattern.CASE_INSENSITIVE | Pattern.DOTALL | Pattern.LONGEST_MATCH);
    }

    private static final String[] CLASSES = {
        "digit", "alpha", "alnum", "upper", "lower", "space", "blank", "punct", "xdigit", "cntrl", "print", "graph"};

    /**
     * Rewrites the POSIX ERE constructs RE2 reads differently: a backslash or '[' inside
     * brackets (literal in POSIX), and a repetition operator with nothing before it
     * ("^(+|00)"), which glibc takes literally. [:class:] names are RE2 syntax too.
     */
    static String posixToRe2(String re) {
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
                    if (java.util.Arrays.asList(CLASSES).contains(name)) {
                        out.append("[:").append(name).append(":]");
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
