package dev.kemi.engine.lint;

/** A lexical token of a Python or JavaScript script, with its 1-based position. */
record Token(Kind kind, String text, int line, int column) {
    enum Kind { IDENT, NUMBER, STRING, PUNCT, NEWLINE }

    boolean is(String s) {
        return (kind == Kind.PUNCT || kind == Kind.IDENT) && text.equals(s);
    }
}
