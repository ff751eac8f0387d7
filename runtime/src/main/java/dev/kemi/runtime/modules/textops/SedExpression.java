package dev.kemi.runtime.modules.textops;

import dev.kemi.runtime.modules.PosixRegex;
import dev.kemi.runtime.modules.RegexCache;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

/**
 * A sed-style "/re/replacement/flags" (any delimiter), as textops subst takes (Kamailio's
 * re.c): i ignores case, g replaces every match, s lets '.' and [^...] match a newline and ^/$
 * match only at the ends (no REG_NEWLINE).
 */
record SedExpression(Pattern pattern, String replacement, boolean global) {

    static SedExpression parse(String expr, RegexCache regexes) {
        if (expr == null || expr.length() < 4) throw new IllegalArgumentException("bad subst expression '" + expr + "'");
        char d = expr.charAt(0);
        int p1 = delimiter(expr, 1, d);
        int p2 = p1 < 0 ? -1 : delimiter(expr, p1 + 1, d);
        if (p2 < 0) throw new IllegalArgumentException("bad subst expression '" + expr + "'");
        String re = expr.substring(1, p1);
        String repl = expr.substring(p1 + 1, p2);
        String flags = expr.substring(p2 + 1);
        int f = PosixRegex.NEWLINE;
        boolean g = false;
        for (char c : flags.toCharArray()) {
            if (c == 'i') f |= PosixRegex.ICASE;
            else if (c == 'g') g = true;
            else if (c == 's') f &= ~PosixRegex.NEWLINE;
            else throw new IllegalArgumentException("bad subst flag '" + c + "' in '" + expr + "'");
        }
        return new SedExpression(regexes.compile(re, f), javaReplacement(repl, d), g);
    }

    private static int delimiter(String s, int from, char d) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') i++;
            else if (c == d) return i;
        }
        return -1;
    }

    /** \N back references become $N; other escapes give the character; '$' is literal. */
    private static String javaReplacement(String repl, char d) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < repl.length(); i++) {
            char c = repl.charAt(i);
            if (c == '\\' && i + 1 < repl.length()) {
                char n = repl.charAt(++i);
                if (Character.isDigit(n)) b.append('$').append(n);
                else if (n == 'n') b.append('\n');
                else if (n == 'r') b.append('\r');
                else if (n == 't') b.append('\t');
                else b.append(Matcher.quoteReplacement(String.valueOf(n)));
            } else if (c == '$' || c == '\\') {
                b.append('\\').append(c);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** Result and number of replacements. */
    String apply(String text, int[] count) {
        Matcher m = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        int n = 0;
        while (m.find()) {
            m.appendReplacement(out, replacement);
            n++;
            if (!global) break;
        }
        m.appendTail(out);
        count[0] = n;
        return n == 0 ? text : out.toString();
    }
}
