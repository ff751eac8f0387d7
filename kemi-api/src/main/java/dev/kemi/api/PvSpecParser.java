package dev.kemi.api;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads one pseudo-variable starting at a '$' inside a larger text; used for whole specs and
 * for format strings ("$ru from $si").
 */
public final class PvSpecParser {
    private final String s;
    private int pos;

    public PvSpecParser(String text, int start) {
        this.s = text;
        this.pos = start;
    }

    /** Index just after the last character consumed. */
    public int position() {
        return pos;
    }

    public PvSpec parse() {
        expect('$');
        if (pos < s.length() && s.charAt(pos) == '(') {
            pos++;
            PvSpec inner = body(true);
            expect(')');
            return inner;
        }
        return body(false);
    }

    private PvSpec body(boolean longForm) {
        int start = pos;
        while (pos < s.length() && isNameChar(s.charAt(pos))) pos++;
        if (pos == start) throw error("pseudo-variable name expected");
        String name = s.substring(start, pos);
        String param = null;
        if (pos < s.length() && s.charAt(pos) == '(') {
            pos++;
            int depth = 1;
            int pstart = pos;
            while (pos < s.length() && depth > 0) {
                char c = s.charAt(pos);
                if (c == '(') depth++;
                else if (c == ')') depth--;
                pos++;
            }
            if (depth != 0) throw error("unclosed '(' in pseudo-variable");
            param = s.substring(pstart, pos - 1);
        }
        Integer index = null;
        PvSpec indexPv = null;
        List<String> transforms = new ArrayList<>();
        if (longForm) {
            if (pos < s.length() && s.charAt(pos) == '[') {
                int close = closing(pos, '[', ']');
                if (close < 0) throw error("unclosed '[' in pseudo-variable");
                String idx = s.substring(pos + 1, close).trim();
                if (idx.startsWith("$")) {
                    // pv_parse_index: an index that is itself a pseudo-variable, read per message
                    try {
                        indexPv = PvSpec.parse(idx);
                    } catch (IllegalArgumentException e) {
                        throw error("bad index '" + idx + "'");
                    }
                } else {
                    try {
                        index = idx.equals("*") ? PvSpec.ALL : Integer.parseInt(idx);
                    } catch (NumberFormatException e) {
                        throw error("bad index '" + idx + "'");
                    }
                }
                pos = close + 1;
            }
            while (pos < s.length() && s.charAt(pos) == '{') {
                int depth = 0;
                int tstart = pos + 1;
                do {
                    char c = s.charAt(pos);
                    if (c == '{') depth++;
                    else if (c == '}') depth--;
                    pos++;
                } while (depth > 0 && pos < s.length());
                if (depth != 0) throw error("unclosed '{' in pseudo-variable");
                transforms.add(s.substring(tstart, pos - 1));
            }
        }
        return new PvSpec(name, param, index, List.copyOf(transforms), indexPv);
    }

    /** Position of the bracket closing the one at {@code open}, nested pairs skipped; -1 if none. */
    private int closing(int open, char l, char r) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == l) depth++;
            else if (c == r && --depth == 0) return i;
        }
        return -1;
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '?';
    }

    private void expect(char c) {
        if (pos >= s.length() || s.charAt(pos) != c) throw error("'" + c + "' expected");
        pos++;
    }

    private IllegalArgumentException error(String why) {
        return new IllegalArgumentException(why + " at offset " + pos + " in \"" + s + "\"");
    }
}
