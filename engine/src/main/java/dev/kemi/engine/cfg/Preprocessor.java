package dev.kemi.engine.cfg;

import dev.kemi.api.ScriptException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kamailio's preprocessing, done while lexing: {@code #!define} (with value substitution of
 * identifiers), {@code #!ifdef/#!ifndef/#!else/#!endif}, {@code include_file}/{@code import_file}
 * in every spelling, {@code #!subst}/{@code #!substdef} on string literals. The result is one
 * token list with each token's own file:line:col.
 */
final class Preprocessor {
    static final int MAX_INCLUDE_DEPTH = 10;
    private static final Set<String> DIRECTIVES = Set.of("define", "trydef", "redefine", "ifdef", "ifndef",
            "else", "endif", "include_file", "import_file", "subst", "substdef", "substdefs",
            "defenv", "trydefenv", "defenvs", "trydefenvs", "trydefine");

    private final Map<String, List<Token>> defines = new HashMap<>();
    /** Each define's value as written (Kamailio's pp_define_get, for KSR.kx.get_def). */
    private final Map<String, String> values = new java.util.LinkedHashMap<>();
    private final List<Subst> substs = new ArrayList<>();
    private final Deque<Cond> conds = new ArrayDeque<>();
    private final List<Token> out = new ArrayList<>();

    private record Cond(boolean parentActive, boolean taken, Token at) {}

    private record Subst(Pattern pattern, String replacement) {}

    Preprocessor(Set<String> cmdlineDefines) {
        // what Kamailio 5.6.3 predefines
        for (String d : List.of("KAMAILIO_5", "KAMAILIO_5_6", "KAMAILIO_5_6_3")) define(d, "", null);
        for (String d : cmdlineDefines) {
            int eq = d.indexOf('=');
            if (eq < 0) define(d, "", null);
            else define(d.substring(0, eq), d.substring(eq + 1), "<-A " + d.substring(0, eq) + ">");
        }
    }

    static boolean isDirective(String word) {
        return DIRECTIVES.contains(word);
    }

    /** Preprocesses the main file; the returned list ends with an EOF token. */
    List<Token> run(Path cfg) {
        String text = read(cfg, null);
        file(text, cfg.toString(), cfg, 0);
        if (!conds.isEmpty()) {
            Token t = conds.peek().at();
            throw new ScriptException(t.file(), t.line(), t.col(), "missing #!endif");
        }
        out.add(new Token(Token.Kind.EOF, "", cfg.toString(), 0, 0, true, true));
        return out;
    }

    private void file(String text, String name, Path path, int depth) {
        Lexer lx = new Lexer(text, name);
        while (true) {
            Token t = active() ? lx.next() : lx.nextDirective();
            switch (t.kind()) {
                case EOF -> {
                    return;
                }
                case DIRECTIVE -> directive(t, path, depth);
                case ID -> {
                    if (t.text().equals("include_file") || t.text().equals("import_file")) {
                        Token arg = lx.next();
                        if (arg.kind() != Token.Kind.STRING) {
                            throw new ScriptException(arg.file(), arg.line(), arg.col(), t.text() + " needs a quoted file name");
                        }
                        include(t, arg.text(), t.text().equals("import_file"), path, depth);
                    } else {
                        emit(t, 0);
                    }
                }
                case STRING -> {
                    // loadmodule defines MOD_<name> for the rest of the file, as Kamailio does
                    if (!out.isEmpty() && out.getLast().isId("loadmodule")) {
                        String mod = "MOD_" + ModuleLoader.loadName(t.text());
                        if (!defines.containsKey(mod)) define(mod, "", null);
                    }
                    out.add(substituted(t));
                }
                default -> out.add(t);
            }
        }
    }

    private boolean active() {
        Cond c = conds.peek();
        return c == null || (c.parentActive() && c.taken());
    }

    /** Adds a token, replacing a defined identifier by its value (itself expanded). */
    private void emit(Token t, int depth) {
        List<Token> value = t.kind() == Token.Kind.ID ? defines.get(t.text()) : null;
        if (value == null) {
            out.add(t);
            return;
        }
        if (depth > 20) throw new ScriptException(t.file(), t.line(), t.col(), "recursive #!define " + t.text());
        boolean first = true;
        for (Token v : value) {
            Token placed = first ? v.at(t) : new Token(v.kind(), v.text(), t.file(), t.line(), t.col(), v.spaceBefore(), false);
            first = false;
            emit(placed, depth + 1);
        }
    }

    private Token substituted(Token t) {
        if (substs.isEmpty()) return t;
        String s = t.text();
        for (Subst sub : substs) s = sub.pattern().matcher(s).replaceAll(sub.replacement());
        return new Token(t.kind(), s, t.file(), t.line(), t.col(), t.spaceBefore(), t.lineStart());
    }

    private void directive(Token t, Path path, int depth) {
        String text = t.text();
        int sp = 0;
        while (sp < text.length() && !Character.isWhitespace(text.charAt(sp))) sp++;
        String word = text.substring(0, sp);
        String rest = text.substring(sp).strip();
        boolean act = active();
        switch (word) {
            case "ifdef", "ifndef" -> {
                String[] words = rest.split("\\s+", 2); // anything after the name (a comment) is ignored
                boolean def = defines.containsKey(name(t, words[0]));
                conds.push(new Cond(act, word.equals("ifdef") == def, t));
            }
            case "else" -> {
                Cond c = conds.poll();
                if (c == null) throw new ScriptException(t.file(), t.line(), t.col(), "#!else without #!ifdef");
                conds.push(new Cond(c.parentActive(), !c.taken(), c.at()));
            }
            case "endif" -> {
                if (conds.poll() == null) throw new ScriptException(t.file(), t.line(), t.col(), "#!endif without #!ifdef");
            }
            default -> {
                if (act) activeDirective(t, word, rest, path, depth);
            }
        }
    }

    private void activeDirective(Token t, String word, String rest, Path path, int depth) {
        switch (word) {
            case "define", "trydef", "trydefine", "redefine" -> {
                int sp = 0;
                while (sp < rest.length() && !Character.isWhitespace(rest.charAt(sp))) sp++;
                String name = name(t, rest.substring(0, sp));
                if (word.startsWith("trydef") && defines.containsKey(name)) return;
                if (word.equals("define") && defines.containsKey(name)) {
                    throw new ScriptException(t.file(), t.line(), t.col(), "redefinition of '" + name + "' (use #!redefine)");
                }
                define(name, rest.substring(sp).strip(), t.file());
            }
            case "defenv", "trydefenv", "defenvs", "trydefenvs" -> {
                // "#!defenv NAME" or "#!defenv ID=NAME"; the ...s forms define it as a quoted string
                int eq = rest.indexOf('=');
                String id = name(t, eq < 0 ? rest : rest.substring(0, eq).strip());
                String env = System.getenv(eq < 0 ? rest : rest.substring(eq + 1).strip());
                if (env == null) {
                    if (word.startsWith("defenv")) throw new ScriptException(t.file(), t.line(), t.col(), "environment variable not set: " + rest);
                    return;
                }
                define(id, word.endsWith("s") ? "\"" + env.replace("\"", "\\\"") + "\"" : env, t.file());
            }
            case "include_file", "import_file" -> {
                Lexer lx = new Lexer(rest, t.file());
                Token arg = lx.next();
                if (arg.kind() != Token.Kind.STRING) {
                    throw new ScriptException(t.file(), t.line(), t.col(), word + " needs a quoted file name");
                }
                include(t, arg.text(), word.equals("import_file"), path, depth);
            }
            case "subst", "substdef", "substdefs" -> subst(t, word, rest);
            case "KAMAILIO", "SER", "OPENSER", "ALL", "MAXCOMPAT" -> { } // compatibility-mode markers
            default -> throw new ScriptException(t.file(), t.line(), t.col(), "unknown preprocessor directive #!" + word);
        }
    }

    /** "/regex/replacement/flags" with any delimiter; substdef(s) also defines the id. */
    private void subst(Token t, String word, String rest) {
        String body = rest;
        if (body.length() >= 2 && body.charAt(0) == '"' && body.endsWith("\"")) body = body.substring(1, body.length() - 1);
        if (body.isEmpty()) throw new ScriptException(t.file(), t.line(), t.col(), "#!" + word + " needs /match/replace/");
        String d = body.substring(0, 1);
        String[] parts = body.substring(1).split(Pattern.quote(d), -1);
        if (parts.length < 3) throw new ScriptException(t.file(), t.line(), t.col(), "#!" + word + " needs /match/replace/");
        int flags = parts[2].contains("i") ? Pattern.CASE_INSENSITIVE : 0;
        substs.add(new Subst(Pattern.compile(word.equals("subst") ? parts[0] : Pattern.quote(parts[0]), flags),
                word.equals("subst") ? parts[1].replaceAll("\\\\(\\d)", "\\$$1") : Matcher.quoteReplacement(parts[1])));
        if (!word.equals("subst")) {
            String value = word.equals("substdefs") ? "\"" + parts[1] + "\"" : parts[1];
            define(parts[0], value, t.file());
        }
    }

    private static String name(Token t, String s) {
        if (s.isEmpty() || !s.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_')) {
            throw new ScriptException(t.file(), t.line(), t.col(), "bad or missing name in #!" + t.text());
        }
        return s;
    }

    private void define(String name, String raw, String file) {
        defines.put(name, raw.isEmpty() ? List.of() : lexValue(raw, file));
        values.put(name, raw);
    }

    /** The defines once the whole cfg is read: name to value as written ("" for none). */
    Map<String, String> defineValues() {
        return java.util.Collections.unmodifiableMap(values);
    }

    private static List<Token> lexValue(String value, String file) {
        Lexer lx = new Lexer(value, file);
        List<Token> ts = new ArrayList<>();
        for (Token t = lx.next(); t.kind() != Token.Kind.EOF; t = lx.next()) ts.add(t);
        return List.copyOf(ts);
    }

    private void include(Token at, String name, boolean optional, Path including, int depth) {
        if (depth + 1 > MAX_INCLUDE_DEPTH) {
            throw new ScriptException(at.file(), at.line(), at.col(), "too many includes (max depth " + MAX_INCLUDE_DEPTH + ")");
        }
        Path p = Path.of(name);
        if (!Files.isRegularFile(p) && !p.isAbsolute()) {
            Path dir = including.toAbsolutePath().getParent();
            Path rel = dir == null ? p : dir.resolve(name);
            if (Files.isRegularFile(rel)) p = rel;
        }
        if (!Files.isRegularFile(p)) {
            if (optional) return;
            throw new ScriptException(at.file(), at.line(), at.col(), "cannot open included file \"" + name + "\"");
        }
        file(read(p, at), p.toString(), p, depth + 1);
    }

    private static String read(Path p, Token at) {
        try {
            String text = Files.readString(p, StandardCharsets.UTF_8);
            return text.startsWith("\uFEFF") ? text.substring(1) : text; // editors' byte order mark
        } catch (IOException e) {
            if (at == null) throw new ScriptException(p.toString(), 0, 0, "cannot read: " + e.getMessage(), e);
            throw new ScriptException(at.file(), at.line(), at.col(), "cannot read \"" + p + "\": " + e.getMessage(), e);
        }
    }
}
