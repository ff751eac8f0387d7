package dev.kemi.engine.cfg;

import dev.kemi.api.PvSpecParser;
import dev.kemi.api.ScriptException;

/** Splits one file of kamailio.cfg into tokens; comments are skipped, "#!" lines returned whole. */
final class Lexer {
    private static final String[] OPS = {
        "==", "!=", "=~", ">=", "<=", "&&", "||", "<<", ">>",
        "=", ">", "<", "!", "+", "-", "*", "/", "%", "|", "&", "^", "~",
        "(", ")", "{", "}", "[", "]", ",", ";", ":"
    };

    private final String s;
    private final String file;
    private int pos;
    private int line = 1;
    private int lineStartPos;
    private boolean lineHasToken;

    Lexer(String text, String file) {
        this.s = text;
        this.file = file;
    }

    Token next() {
        boolean space = skipSpaceAndComments();
        if (pos >= s.length()) return make(Token.Kind.EOF, "", pos, true);
        int start = pos;
        char c = s.charAt(pos);
        if (atDirective()) return directive();
        if (c == '"' || c == '\'') return string(c);
        if (c == '$') return pv(space);
        if (c == '@' && pos + 1 < s.length() && Character.isLetter(s.charAt(pos + 1))) return select(space);
        if (Character.isDigit(c)) return number(space);
        if (Character.isLetter(c) || c == '_') {
            while (pos < s.length() && isIdChar(s.charAt(pos))) pos++;
            // a trailing '.' belongs to no identifier
            while (s.charAt(pos - 1) == '.') pos--;
            return make(Token.Kind.ID, s.substring(start, pos), start, space);
        }
        for (String op : OPS) {
            if (s.startsWith(op, pos)) {
                pos += op.length();
                return make(Token.Kind.OP, op, start, space);
            }
        }
        throw new ScriptException(file, line, col(start), "unexpected character '" + c + "'");
    }

    /**
     * A select (@via[2], @to.tag ...): read as the pseudo-variable $sel(@...) that evaluates it,
     * as Kamailio's pv module offers.
     */
    private Token select(boolean space) {
        int start = pos++;
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (isIdChar(c) || c == '[' || c == ']' || c == '-') pos++;
            else break;
        }
        while (s.charAt(pos - 1) == '.') pos--;
        return make(Token.Kind.PV, "$sel(" + s.substring(start, pos) + ")", start, space);
    }

    /** While an #!ifdef is false: skips text up to the next directive line (or EOF). */
    Token nextDirective() {
        while (pos < s.length()) {
            int p = pos;
            while (p < s.length() && (s.charAt(p) == ' ' || s.charAt(p) == '\t')) p++;
            pos = p;
            if (atDirective()) return directive();
            int nl = s.indexOf('\n', pos);
            if (nl < 0) {
                pos = s.length();
                break;
            }
            pos = nl + 1;
            newLine();
        }
        return make(Token.Kind.EOF, "", pos, true);
    }

    private boolean atDirective() {
        if (s.startsWith("#!", pos)) return true;
        if (!s.startsWith("!!", pos)) return false;
        int p = pos + 2;
        while (p < s.length() && (Character.isLetter(s.charAt(p)) || s.charAt(p) == '_')) p++;
        return Preprocessor.isDirective(s.substring(pos + 2, p));
    }

    /** The directive text up to the end of line; a trailing backslash continues it. */
    private Token directive() {
        int start = pos;
        int startLine = line;
        int startCol = col(start);
        pos += 2;
        StringBuilder b = new StringBuilder();
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == '\n') {
                if (endsWithBackslash(b)) {
                    b.setLength(b.length() - 1);
                    b.append('\n');
                    pos++;
                    newLine();
                    continue;
                }
                break;
            }
            if (c != '\r') b.append(c);
            pos++;
        }
        lineHasToken = true;
        return new Token(Token.Kind.DIRECTIVE, b.toString().strip(), file, startLine, startCol, true, true);
    }

    private static boolean endsWithBackslash(StringBuilder b) {
        return !b.isEmpty() && b.charAt(b.length() - 1) == '\\';
    }

    /**
     * A quoted string as Kamailio's lexer reads it: '...' is raw; "..." decodes \n \r \a \t \"
     * \\ \xHH \NNN (octal), drops an escaped newline and keeps any other backslash as written
     * (regexes such as "\.example\.com" stay intact); "a" "b" with only blanks between is "ab".
     */
    private Token string(char quote) {
        int startLine = line;
        int startCol = col(pos);
        boolean first = !lineHasToken;
        StringBuilder b = new StringBuilder();
        do {
            pos++; // opening quote
            if (quote == '\'') rawString(b, startLine, startCol);
            else escapedString(b, startLine, startCol);
        } while (quote == '"' && adjacentString());
        lineHasToken = true;
        return new Token(Token.Kind.STRING, b.toString(), file, startLine, startCol, true, first);
    }

    private void rawString(StringBuilder b, int startLine, int startCol) {
        while (true) {
            if (pos >= s.length()) throw new ScriptException(file, startLine, startCol, "unterminated string");
            char c = s.charAt(pos++);
            if (c == '\'') return;
            if (c == '\n') newLine();
            b.append(c);
        }
    }

    private void escapedString(StringBuilder b, int startLine, int startCol) {
        while (true) {
            if (pos >= s.length()) throw new ScriptException(file, startLine, startCol, "unterminated string");
            char c = s.charAt(pos++);
            if (c == '"') return;
            if (c == '\n') newLine();
            if (c != '\\' || pos >= s.length()) {
                b.append(c);
                continue;
            }
            char e = s.charAt(pos);
            switch (e) {
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 'a' -> b.append('\u0007');
                case 't' -> b.append('\t');
                case '"' -> b.append('"');
                case '\\' -> b.append('\\');
                case '\n' -> newLineAfter(pos + 1); // escaped newline: continues the string
                case 'x' -> {
                    int end = pos + 1;
                    while (end < s.length() && end < pos + 3 && Character.digit(s.charAt(end), 16) >= 0) end++;
                    if (end == pos + 1) {
                        b.append('\\').append(e);
                    } else {
                        b.append((char) Integer.parseInt(s.substring(pos + 1, end), 16));
                        pos = end - 1;
                    }
                }
                default -> {
                    int end = pos;
                    while (end < s.length() && end < pos + 3 && s.charAt(end) >= '0' && s.charAt(end) <= '7') end++;
                    if (end - pos >= 2) { // \NN or \NNN octal; a lone \1 stays (subst back-references)
                        b.append((char) Integer.parseInt(s.substring(pos, end), 8));
                        pos = end - 1;
                    } else {
                        b.append('\\').append(e);
                    }
                }
            }
            if (e != '\n') pos++;
        }
    }

    private void newLineAfter(int p) {
        pos = p;
        newLine();
    }

    /** After a closing '"': another "..." follows with only blanks and newlines between. */
    private boolean adjacentString() {
        int p = pos;
        int lines = 0;
        int lineStart = lineStartPos;
        while (p < s.length() && Character.isWhitespace(s.charAt(p))) {
            if (s.charAt(p) == '\n') {
                lines++;
                lineStart = p + 1;
            }
            p++;
        }
        if (p >= s.length() || s.charAt(p) != '"') return false;
        pos = p;
        line += lines;
        lineStartPos = lineStart;
        return true;
    }

    private Token pv(boolean space) {
        int start = pos;
        if (s.startsWith("$?", pos)) {
            pos += 2;
        } else {
            try {
                PvSpecParser p = new PvSpecParser(s, pos);
                p.parse();
                pos = p.position();
            } catch (IllegalArgumentException e) {
                throw new ScriptException(file, line, col(start), "bad pseudo-variable: " + e.getMessage());
            }
        }
        return make(Token.Kind.PV, s.substring(start, pos), start, space);
    }

    private Token number(boolean space) {
        int start = pos;
        if (s.startsWith("0x", pos) || s.startsWith("0X", pos)) {
            pos += 2;
            while (pos < s.length() && Character.digit(s.charAt(pos), 16) >= 0) pos++;
            return make(Token.Kind.INT, radix(s.substring(start + 2, pos), 16, start), start, space);
        }
        boolean dotted = false;
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (Character.isDigit(c)) pos++;
            else if (c == '.' && pos + 1 < s.length() && Character.isDigit(s.charAt(pos + 1))) {
                dotted = true;
                pos++;
            } else break;
        }
        // host names starting with a digit ("1and1.com") read as identifiers
        if (pos < s.length() && Character.isLetter(s.charAt(pos))) {
            while (pos < s.length() && isIdChar(s.charAt(pos))) pos++;
            return make(Token.Kind.ID, s.substring(start, pos), start, space);
        }
        String text = s.substring(start, pos);
        if (!dotted && text.length() > 1 && text.charAt(0) == '0' && text.chars().allMatch(c -> c >= '0' && c <= '7')) {
            text = radix(text, 8, start); // Kamailio reads 0NNN as octal
        }
        return make(dotted ? Token.Kind.ADDR : Token.Kind.INT, text, start, space);
    }

    /** A hex or octal number as decimal text (range checked where it is used as an int). */
    private String radix(String digits, int radix, int start) {
        try {
            return new java.math.BigInteger(digits, radix).toString();
        } catch (NumberFormatException e) {
            throw new ScriptException(file, line, col(start), "bad number '" + s.substring(start, pos) + "'");
        }
    }

    private static boolean isIdChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '.';
    }

    /** @return whether any whitespace or comment was skipped */
    private boolean skipSpaceAndComments() {
        int before = pos;
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == '\n') {
                pos++;
                newLine();
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
                pos++;
            } else if (c == '#' && !s.startsWith("#!", pos)) {
                skipToEol();
            } else if (s.startsWith("//", pos)) {
                skipToEol();
            } else if (s.startsWith("/*", pos)) {
                blockComment();
            } else {
                break;
            }
        }
        return pos != before || pos == 0;
    }

    /** A comment; Kamailio allows nesting them. */
    private void blockComment() {
        int startLine = line;
        int startCol = col(pos);
        int depth = 0;
        do {
            if (pos >= s.length()) throw new ScriptException(file, startLine, startCol, "unterminated comment");
            if (s.startsWith("/*", pos)) {
                depth++;
                pos += 2;
            } else if (s.startsWith("*/", pos)) {
                depth--;
                pos += 2;
            } else {
                if (s.charAt(pos) == '\n') newLineAfter(pos + 1);
                else pos++;
            }
        } while (depth > 0);
    }

    private void skipToEol() {
        int nl = s.indexOf('\n', pos);
        pos = nl < 0 ? s.length() : nl;
    }

    private void newLine() {
        line++;
        lineStartPos = pos;
        lineHasToken = false;
    }

    private int col(int p) {
        return p - lineStartPos + 1;
    }

    private Token make(Token.Kind k, String text, int start, boolean space) {
        boolean first = !lineHasToken;
        lineHasToken = true;
        return new Token(k, text, file, line, col(start), space || first, first);
    }
}
