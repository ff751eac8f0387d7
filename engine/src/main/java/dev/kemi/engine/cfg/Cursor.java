package dev.kemi.engine.cfg;

import dev.kemi.api.ScriptException;
import java.util.List;

/** Reads the tokens of one route body; past its end it yields EOF at the closing brace. */
final class Cursor {
    private final List<Token> toks;
    private int pos;
    private int end;

    Cursor(List<Token> toks) {
        this.toks = toks;
    }

    /** Moves to another block body: tokens [start, end). */
    void reset(int start, int end) {
        this.pos = start;
        this.end = end;
    }

    int position() {
        return pos;
    }

    Token peek() {
        return peek(0);
    }

    Token peek(int ahead) {
        int p = pos + ahead;
        if (p < end) return toks.get(p);
        Token close = toks.get(end);
        return new Token(Token.Kind.EOF, "", close.file(), close.line(), close.col(), true, false);
    }

    /** The token {@link #next} returned last. */
    Token last() {
        return toks.get(pos - 1);
    }

    Token next() {
        Token t = peek();
        if (pos < end) pos++;
        return t;
    }

    boolean accept(String op) {
        if (peek().kind() == Token.Kind.OP && peek().text().equals(op)) {
            pos++;
            return true;
        }
        return false;
    }

    /** The word forms of the logical operators: and, or, not. */
    boolean acceptWord(String w) {
        if (peek().isId(w)) {
            pos++;
            return true;
        }
        return false;
    }

    void expect(String op) {
        Token t = next();
        if (!(t.kind() == Token.Kind.OP && t.text().equals(op))) {
            throw error(t, "'" + op + "' expected, found '" + (t.kind() == Token.Kind.EOF ? "end of block" : t.source()) + "'");
        }
    }

    int intValue(Token t) {
        try {
            return Integer.parseInt(t.text());
        } catch (NumberFormatException e) {
            throw error(t, "integer out of range: " + t.text());
        }
    }

    static ScriptException error(Token t, String why) {
        return new ScriptException(t.file(), t.line(), t.col(), why);
    }
}
