package dev.kemi.engine.lint;

import java.util.ArrayList;
import java.util.List;

/**
 * Just enough of Python and JavaScript lexing to find KSR calls reliably: strings (including
 * Python prefixes and triple quotes, JS templates), comments, numbers, identifiers and
 * operators, with line/column. Not a parser: the lint reads patterns over these tokens.
 */
final class ScriptTokenizer {
    private static final String[] OPERATORS = {
        "===", "!==", "==", "!=", "<=", ">=", "&&", "||", "**", "//", "->", "+=", "-=",
    };
    private final String src;
    private final boolean python;
    private final List<Token> out = new ArrayList<>();
    private int pos;
    private int line = 1;
    private int lineStart;
    private int depth; // Python: newlines inside brackets are not statement ends

    private ScriptTokenizer(String src, boolean python) {
        this.src = src;
        this.python = python;
    }

    static List<Token> tokenize(String src, boolean python) {
        ScriptTokenizer t = new ScriptTokenizer(src, python);
        t.run();
        return t.out;
    }

    private void run() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\n') {
                if (depth == 0) add(Token.Kind.NEWLINE, "\n", pos);
                newline(pos + 1);
                pos++;
            } else if (Character.isWhitespace(c) || c == '\\' && python) {
                pos++;
            } else if (python && c == '#' || !python && src.startsWith("//", pos)) {
                while (pos < src.length() && src.charAt(pos) != '\n') pos++;
            } else if (!python && src.startsWith("/*", pos)) {
                int end = src.indexOf("*/", pos + 2);
                end = end < 0 ? src.length() : end + 2;
                countNewlines(pos, end);
                pos = end;
            } else if (c == '"' || c == '\'' || c == '`' && !python) {
                string(pos, pos);
            } else if (Character.isLetter(c) || c == '_' || c == '$') {
                int start = pos;
                while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_' || src.charAt(pos) == '$')) pos++;
                if (python && pos < src.length() && (src.charAt(pos) == '"' || src.charAt(pos) == '\'')
                        && pos - start <= 2 && src.substring(start, pos).matches("(?i)[rbuf]+")) {
                    string(start, pos);
                } else {
                    add(Token.Kind.IDENT, src.substring(start, pos), start);
                }
            } else if (Character.isDigit(c)) {
                int start = pos;
                while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '.')) pos++;
                add(Token.Kind.NUMBER, src.substring(start, pos), start);
            } else {
                String op = String.valueOf(c);
                for (String o : OPERATORS) {
                    if (src.startsWith(o, pos)) {
                        op = o;
                        break;
                    }
                }
                if (op.equals("(") || op.equals("[") || op.equals("{")) depth++;
                if ((op.equals(")") || op.equals("]") || op.equals("}")) && depth > 0) depth--;
                add(Token.Kind.PUNCT, op, pos);
                pos += op.length();
            }
        }
        add(Token.Kind.NEWLINE, "\n", pos);
    }

    /** A string starting at {@code quotePos} (prefix letters from {@code start}); value without quotes. */
    private void string(int start, int quotePos) {
        char q = src.charAt(quotePos);
        boolean triple = python && src.startsWith(String.valueOf(q).repeat(3), quotePos);
        int i = quotePos + (triple ? 3 : 1);
        int valueStart = i;
        int valueEnd;
        while (true) {
            if (i >= src.length()) {
                valueEnd = i;
                break;
            }
            char c = src.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (triple ? src.startsWith(String.valueOf(q).repeat(3), i) : c == q) {
                valueEnd = i;
                i += triple ? 3 : 1;
                break;
            }
            if (c == '\n' && !triple && q != '`') {
                valueEnd = i;
                break;
            }
            i++;
        }
        add(Token.Kind.STRING, src.substring(valueStart, Math.min(valueEnd, src.length())), start);
        countNewlines(quotePos, Math.min(i, src.length()));
        pos = Math.min(i, src.length());
    }

    private void countNewlines(int from, int to) {
        for (int i = from; i < to; i++) {
            if (src.charAt(i) == '\n') newline(i + 1);
        }
    }

    private void newline(int nextLineStart) {
        line++;
        lineStart = nextLineStart;
    }

    private void add(Token.Kind kind, String text, int at) {
        out.add(new Token(kind, text, line, at - lineStart + 1));
    }
}
