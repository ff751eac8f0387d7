package dev.kemi.engine.cfg;

/**
 * One lexical token with the place it was written (kept through includes and defines).
 *
 * @param spaceBefore whitespace (or a line start) precedes the token; lets raw values such as
 *                    listen= be rebuilt from tokens
 * @param lineStart   first token on its source line; global params end at the line end
 */
record Token(Kind kind, String text, String file, int line, int col, boolean spaceBefore, boolean lineStart) {
    enum Kind {
        /** identifier or keyword (may contain '.') */
        ID,
        /** decimal or hex integer */
        INT,
        /** dotted number such as an IPv4 address */
        ADDR,
        /** quoted string, text unescaped */
        STRING,
        /** pseudo-variable, text as written ("$var(x)") */
        PV,
        /** operator or punctuation */
        OP,
        /** preprocessor line after "#!" / "!!" */
        DIRECTIVE,
        EOF
    }

    boolean is(String op) {
        return (kind == Kind.OP || kind == Kind.ID) && text.equals(op);
    }

    boolean isId(String id) {
        return kind == Kind.ID && text.equals(id);
    }

    String where() {
        return file + ":" + line + ":" + col;
    }

    Token at(Token use) {
        return new Token(kind, text, use.file, use.line, use.col, use.spaceBefore, use.lineStart);
    }

    /** How the token reads in source (strings re-quoted). */
    String source() {
        return kind == Kind.STRING ? "\"" + text + "\"" : text;
    }
}
