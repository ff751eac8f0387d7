package dev.kemi.runtime.modules;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * POSIX extended regular expressions (as Kamailio compiles them with regcomp) on RE2/J, compiled
 * once per pattern text. RE2 matches in time linear in the input without recursion, so no
 * expression and no message can make a match run long or overflow the stack. Matches are
 * POSIX leftmost-longest (glibc's regexec), not the leftmost-first of backtracking engines:
 * {@code subst("/a|ab/X/")} on "abc" gives "Xc", as in Kamailio. Literal backslashes and
 * brackets inside bracket expressions, GNU word boundaries (\&lt; \&gt;) and literal braces are
 * rewritten; the rest of ERE (with [[:class:]]) is valid RE2 syntax with the same meaning.
 * A module compiling script-given expressions at run time keeps them in its {@link RegexCache}.
 */
public final class PosixRegex {
    /** REG_ICASE. */
    public static final int ICASE = Pattern.CASE_INSENSITIVE;
    /** REG_NEWLINE: ^ and $ match at line ends, '.' does not match a newline; without it '.' matches one. */
    public static final int NEWLINE = Pattern.MULTILINE;

    private PosixRegex() {}

    /** @throws IllegalArgumentException if the expression is invalid */
    public static Pattern compile(String posix, int flags) {
        try {
            int f = flags | Pattern.LONGEST_MATCH | ((flags & NEWLINE) == 0 ? Pattern.DOTALL : 0);
            return Pattern.compile(translate(posix), f);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("bad regular expression '" + posix + "': " + e.getDescription(), e);
        }
    }

    /** Case-insensitive extended expression (the common Kamailio flags). */
    public static Pattern icase(String posix) {
        return compile(posix, ICASE);
    }

    static String translate(String re) {
        StringBuilder out = new StringBuilder(re.length() + 8);
        int i = 0;
        int n = re.length();
        while (i < n) {
            char c = re.charAt(i);
            if (c == '\\' && i + 1 < n) {
                char d = re.charAt(i + 1);
                if (d == '<' || d == '>') out.append("\\b");
                else out.append(c).append(d);
                i += 2;
            } else if (c == '[') {
                i = bracket(re, i, out);
            } else if (c == '{' && (i + 1 >= n || !Character.isDigit(re.charAt(i + 1)))) {
                out.append("\\{");
                i++;
            } else if (c == '}' && !closesQuantifier(out)) {
                out.append("\\}");
                i++;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static boolean closesQuantifier(StringBuilder out) {
        for (int j = out.length() - 1; j >= 0; j--) {
            char c = out.charAt(j);
            if (c == '{') return j == 0 || out.charAt(j - 1) != '\\';
            if (!Character.isDigit(c) && c != ',') return false;
        }
        return false;
    }

    /** Copies one bracket expression starting at '['; returns the index after its ']'. */
    private static int bracket(String re, int start, StringBuilder out) {
        int n = re.length();
        int i = start + 1;
        StringBuilder b = new StringBuilder("[");
        if (i < n && re.charAt(i) == '^') {
            b.append('^');
            i++;
        }
        boolean first = true;
        while (i < n) {
            char c = re.charAt(i);
            if (c == ']' && !first) {
                out.append(b).append(']');
                return i + 1;
            }
            first = false;
            if (c == '[' && i + 1 < n && re.charAt(i + 1) == ':') {
                int end = re.indexOf(":]", i + 2);
                if (end < 0) throw new IllegalArgumentException("unclosed character class in '" + re + "'");
                b.append(posixClass(re.substring(i + 2, end), re));
                i = end + 2;
                continue;
            }
            if (c == '[' && i + 1 < n && (re.charAt(i + 1) == '.' || re.charAt(i + 1) == '=')) {
                char kind = re.charAt(i + 1);
                int end = re.indexOf(kind + "]", i + 2);
                if (end < 0) throw new IllegalArgumentException("unclosed collating element in '" + re + "'");
                for (char x : re.substring(i + 2, end).toCharArray()) {
                    if (!Character.isLetterOrDigit(x)) b.append('\\');
                    b.append(x);
                }
                i = end + 2;
                continue;
            }
            // in POSIX brackets these are literal; Java gives them meaning
            if (c == '\\' || c == '[' || c == ']' || c == '&' || (c == '^' && b.length() > 1)) b.append('\\');
            b.append(c);
            i++;
        }
        throw new IllegalArgumentException("unclosed '[' in '" + re + "'");
    }

    private static String posixClass(String name, String re) {
        return switch (name) {
            case "alpha", "digit", "alnum", "upper", "lower", "space", "blank", "punct", "xdigit", "cntrl", "print",
                 "graph" -> "[:" + name + ":]";
            default -> throw new IllegalArgumentException("unknown character class [:" + name + ":] in '" + re + "'");
        };
    }
}
