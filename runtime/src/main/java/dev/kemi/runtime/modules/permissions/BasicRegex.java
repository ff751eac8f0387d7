package dev.kemi.runtime.modules.permissions;

import com.google.re2j.Pattern;
import dev.kemi.runtime.modules.PosixRegex;

/**
 * POSIX basic regular expressions (GNU flavour), which the trusted table's from_pattern and
 * ruri_pattern are (Kamailio compiles them with regcomp without REG_EXTENDED): rewritten to the
 * extended syntax {@link PosixRegex} compiles. In BRE {@code ( ) { } + ? |} are literal and
 * {@code \( \) \{ \} \+ \? \|} are the operators; {@code *} is literal at the start; {@code ^}
 * and {@code $} anchor only at the ends of the expression or of a group.
 */
final class BasicRegex {
    private BasicRegex() {}

    /** @throws IllegalArgumentException if the expression is invalid (back-references included) */
    static Pattern compile(String bre) {
        return PosixRegex.compile(toExtended(bre), 0);
    }

    static String toExtended(String re) {
        StringBuilder out = new StringBuilder(re.length() + 8);
        int n = re.length();
        boolean atStart = true; // start of the expression, of a group or of an alternative
        for (int i = 0; i < n; i++) {
            char c = re.charAt(i);
            boolean start = atStart;
            atStart = false;
            switch (c) {
                case '\\' -> {
                    if (i + 1 >= n) throw new IllegalArgumentException("trailing backslash in '" + re + "'");
                    char d = re.charAt(++i);
                    switch (d) {
                        case '(' -> {
                            out.append('(');
                            atStart = true;
                        }
                        case '|' -> {
                            out.append('|');
                            atStart = true;
                        }
                        case ')', '{', '}', '+', '?' -> out.append(d);
                        default -> {
                            if (d >= '1' && d <= '9') throw new IllegalArgumentException("back-references are not supported: '" + re + "'");
                            out.append('\\').append(d);
                        }
                    }
                }
                case '(', ')', '{', '}', '+', '?', '|' -> out.append('\\').append(c);
                case '*' -> out.append(start ? "\\*" : "*");
                case '^' -> {
                    out.append(start ? "^" : "\\^");
                    atStart = start;
                }
                case '$' -> out.append(atEnd(re, i + 1) ? "$" : "\\$");
                case '[' -> i = bracket(re, i, out);
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** '$' anchors at the end of the expression, before "\)" or before "\|". */
    private static boolean atEnd(String re, int i) {
        return i == re.length() || re.startsWith("\\)", i) || re.startsWith("\\|", i);
    }

    /** Copies a bracket expression unchanged (same syntax in BRE and ERE); returns the index of its ']'. */
    private static int bracket(String re, int start, StringBuilder out) {
        int i = start + 1, n = re.length();
        if (i < n && re.charAt(i) == '^') i++;
        if (i < n && re.charAt(i) == ']') i++;
        while (i < n && re.charAt(i) != ']') {
            if (re.charAt(i) == '[' && i + 1 < n && ":.=".indexOf(re.charAt(i + 1)) >= 0) {
                int end = re.indexOf(re.charAt(i + 1) + "]", i + 2);
                if (end < 0) throw new IllegalArgumentException("unclosed '[' in '" + re + "'");
                i = end + 2;
            } else {
                i++;
            }
        }
        if (i >= n) throw new IllegalArgumentException("unclosed '[' in '" + re + "'");
        out.append(re, start, i + 1);
        return i;
    }
}
