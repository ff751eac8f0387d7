package dev.kemi.runtime.modules;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * POSIX extended regular expressions (as Kamailio compiles them with regcomp) translated to
 * java.util.regex, compiled once per pattern text. Bracket classes ([[:digit:]]), literal
 * backslashes and brackets inside bracket expressions, GNU word boundaries (\&lt; \&gt;) and
 * literal braces are rewritten; the rest of ERE is valid Java syntax with the same meaning.
 * A module compiling script-given expressions at run time keeps them in its {@link RegexCache}.
 */
public final class PosixRegex {
    /** REG_EXTENDED|REG_ICASE, as textops/rr/hdr use. */
    public static final int ICASE = Pattern.CASE_INSENSITIVE;
    /** REG_NEWLINE: ^ and $ match at line ends, '.' does not match a newline (Java default). */
    public static final int NEWLINE = Pattern.MULTILINE;

    private PosixRegex() {}

    /** @throws IllegalArgumentException if the expression is invalid */
    public static Pattern compile(String posix, int flags) {
        try {
            return Pattern.compile(translate(posix), flags);
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
                for (char x : re.substring(i + 2, end).toCharArray()) b.append('\\').append(x);
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
            case "alpha" -> "\\p{Alpha}";
            case "digit" -> "0-9";
            case "alnum" -> "\\p{Alnum}";
            case "upper" -> "\\p{Upper}";
            case "lower" -> "\\p{Lower}";
            case "space" -> "\\s\\x0B";
            case "blank" -> " \\t";
            case "punct" -> "\\p{Punct}";
            case "xdigit" -> "0-9A-Fa-f";
            case "cntrl" -> "\\p{Cntrl}";
            case "print" -> "\\p{Print}";
            case "graph" -> "\\p{Graph}";
            default -> throw new IllegalArgumentException("unknown character class [:" + name + ":] in '" + re + "'");
        };
    }
}
