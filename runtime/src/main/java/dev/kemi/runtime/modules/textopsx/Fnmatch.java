package dev.kemi.runtime.modules.textopsx;

import java.util.regex.Pattern;

/** POSIX fnmatch(3) without flags (or FNM_CASEFOLD): '*', '?', bracket expressions, '\' escapes. */
final class Fnmatch {
    private Fnmatch() {}

    static boolean matches(String pattern, String value, boolean caseFold) {
        Pattern p = Pattern.compile(toRegex(pattern), Pattern.DOTALL | (caseFold ? Pattern.CASE_INSENSITIVE : 0));
        return p.matcher(value).matches();
    }

    static String toRegex(String g) {
        StringBuilder b = new StringBuilder(g.length() * 2);
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            switch (c) {
                case '*' -> b.append(".*");
                case '?' -> b.append('.');
                case '\\' -> {
                    if (i + 1 < g.length()) b.append(Pattern.quote(String.valueOf(g.charAt(++i))));
                    else b.append("\\\\");
                }
                case '[' -> {
                    int end = bracketEnd(g, i);
                    if (end < 0) {
                        b.append("\\[");
                    } else {
                        b.append(bracket(g.substring(i + 1, end)));
                        i = end;
                    }
                }
                default -> b.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return b.toString();
    }

    /** Index of the ']' closing the bracket at i; a ']' right after '[' or '[!' is a member. */
    private static int bracketEnd(String g, int i) {
        int j = i + 1;
        if (j < g.length() && (g.charAt(j) == '!' || g.charAt(j) == '^')) j++;
        if (j < g.length() && g.charAt(j) == ']') j++;
        while (j < g.length() && g.charAt(j) != ']') j++;
        return j < g.length() ? j : -1;
    }

    private static String bracket(String body) {
        StringBuilder b = new StringBuilder("[");
        int k = 0;
        if (!body.isEmpty() && (body.charAt(0) == '!' || body.charAt(0) == '^')) {
            b.append('^');
            k = 1;
        }
        for (; k < body.length(); k++) {
            char c = body.charAt(k);
            if (c == '-' && k > 0 && k < body.length() - 1) b.append('-');
            else if (Character.isLetterOrDigit(c)) b.append(c);
            else b.append('\\').append(c);
        }
        return b.append(']').toString();
    }
}
