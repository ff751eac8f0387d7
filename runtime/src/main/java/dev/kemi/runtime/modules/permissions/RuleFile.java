package dev.kemi.runtime.modules.permissions;

import com.google.re2j.Pattern;
import dev.kemi.runtime.modules.PosixRegex;
import dev.kemi.runtime.modules.ScriptLog;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An allow or deny file of allow_routing / allow_register: lines {@code left : right}, each side
 * {@code ALL} or a comma list of case-insensitive extended expressions, optionally followed by
 * {@code EXCEPT} and another list; {@code #} starts a comment. A line that does not parse is
 * skipped (Kamailio logs it and goes on); a missing file is an empty rule set.
 */
final class RuleFile {
    private static final int LINE_LENGTH = 500, EXPRESSION_LENGTH = 256;

    /** A side of a rule: null {@code any} means ALL. */
    private record Side(List<Pattern> any, List<Pattern> except) {
        boolean matches(String v) {
            return (any == null || search(any, v)) && !search(except, v);
        }
    }

    private record Rule(Side left, Side right) {}

    private final List<Rule> rules;

    private RuleFile(List<Rule> rules) {
        this.rules = rules;
    }

    static final RuleFile EMPTY = new RuleFile(List.of());

    boolean isEmpty() {
        return rules.isEmpty();
    }

    /** search_rule: some rule matches left and right. */
    boolean matches(String left, String right) {
        for (Rule r : rules) if (r.left().matches(left) && r.right().matches(right)) return true;
        return false;
    }

    private static boolean search(List<Pattern> l, String v) {
        if (l == null) return false;
        for (Pattern p : l) if (p.matcher(v).find()) return true;
        return false;
    }

    static RuleFile load(Path file) {
        if (!Files.isRegularFile(file)) {
            ScriptLog.log(ScriptLog.INFO, "permissions: file not found: " + file);
            return EMPTY;
        }
        List<Rule> rules = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            String line;
            while ((line = r.readLine()) != null) {
                // fgets reads at most LINE_LENGTH-1 characters: a longer line continues as the next one
                for (int i = 0; i < line.length() || i == 0; i += LINE_LENGTH - 1) {
                    Rule rule = parseLine(line.substring(i, Math.min(line.length(), i + LINE_LENGTH - 1)));
                    if (rule != null) rules.add(rule);
                }
            }
        } catch (IOException e) {
            ScriptLog.log(ScriptLog.ERR, "permissions: cannot read " + file + ": " + e.getMessage());
        }
        return new RuleFile(List.copyOf(rules));
    }

    /** parse_config_line: null for a blank/comment line or one that does not parse. */
    private static Rule parseLine(String line) {
        int i = 0, colon = -1;
        boolean quoted = false, eval = false;
        for (; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                eval = true;
            } else if (c == ':') {
                if (!quoted) colon = i;
                eval = true;
            } else if (c == '#' && !quoted) {
                break;
            } else if (c != ' ' && c != '\t' && c != '\r') {
                eval = true;
            }
        }
        if (!eval) return null;
        if (colon <= 0 || colon + 1 >= i) {
            ScriptLog.log(ScriptLog.ERR, "permissions: failed to parse line: " + line);
            return null;
        }
        Side left = side(line.substring(0, colon)), right = side(line.substring(colon + 1, i));
        if (left == null || right == null) {
            ScriptLog.log(ScriptLog.ERR, "permissions: failed to parse line: " + line);
            return null;
        }
        return new Rule(left, right);
    }

    /** parse_expression: "ALL" or a list, then " EXCEPT " and a list. */
    private static Side side(String sv) {
        if (sv.length() >= LINE_LENGTH) return null;
        List<Pattern> except = null;
        String main = sv;
        int x = sv.indexOf(" EXCEPT ");
        if (x >= 0) {
            main = sv.substring(0, x);
            except = list(sv.substring(x + 8));
            if (except == null) return null;
        }
        main = main.strip();
        if (main.equals("ALL")) return new Side(null, except);
        List<Pattern> any = list(main);
        return any == null ? null : new Side(any, except);
    }

    /** parse_expression_list: comma-separated words outside quotes, each trimmed of blanks and one pair of quotes. */
    private static List<Pattern> list(String s) {
        List<Pattern> out = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : '\0';
            if (c == '"') quoted = !quoted;
            if (!(c == '\0' || (c == ',' && !quoted))) continue;
            int a = start, b = i - 1;
            while (a < s.length() && (s.charAt(a) == ' ' || s.charAt(a) == '\t')) a++;
            if (a < s.length() && s.charAt(a) == '"') a++;
            while (b > 0 && (s.charAt(b) == ' ' || s.charAt(b) == '\t' || s.charAt(b) == '\r')) b--;
            if (b > 0 && s.charAt(b) == '"') b--;
            if (a > b) return null;
            String word = s.substring(a, b + 1);
            if (word.length() >= EXPRESSION_LENGTH - 1) return null;
            try {
                out.add(PosixRegex.icase(word));
            } catch (IllegalArgumentException e) {
                ScriptLog.log(ScriptLog.ERR, "permissions: bad regular expression: " + word);
                return null;
            }
            start = i + 1;
        }
        return out;
    }
}
