package dev.kemi.engine.cfg;

import dev.kemi.api.RouteType;
import dev.kemi.api.ScriptException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the statements outside route blocks: global parameters, loadmodule/loadpath, modparam,
 * cfgengine. Route blocks are only delimited here (brace matching) and compiled later, once every
 * module is loaded, because a block may call a function of a module loaded further down.
 */
final class TopLevelParser {
    /** What the top level says, in file order. */
    static final class Result {
        final List<GlobalParam> globals = new ArrayList<>();
        final List<Token> loadModules = new ArrayList<>(); // STRING tokens
        final List<ModParamDecl> modparams = new ArrayList<>();
        final List<RouteBlock> blocks = new ArrayList<>();
        final List<CfgVarDecl> cfgVars = new ArrayList<>();
        Token cfgEngine; // STRING token, or null
        int modulesBeforeCfgEngine; // how many loadmodule lines precede cfgengine
    }

    /** A custom cfg framework variable: group.name = value (Integer or String) desc "description". */
    record CfgVarDecl(String group, String name, Object value, String description, Token at) {}

    /** A modparam before its module is looked up. */
    record ModParamDecl(Token module, Token param, Object value, Token valueToken) {}

    private final List<Token> toks;
    private int pos;
    private final Result res = new Result();

    TopLevelParser(List<Token> toks) {
        this.toks = toks;
    }

    Result parse() {
        while (peek().kind() != Token.Kind.EOF) statement();
        return res;
    }

    private void statement() {
        Token t = next();
        if (t.is(";")) return;
        if (t.kind() != Token.Kind.ID) throw error(t, "unexpected '" + t.source() + "'");
        String w = t.text();
        switch (w) {
            case "loadmodule" -> res.loadModules.add(expectString(w));
            case "loadpath" -> {
                if (peek().is("=")) next();
                Token v = expectString(w);
                res.globals.add(new GlobalParam("loadpath", v.text(), t.file(), t.line()));
                optionalSemicolon();
            }
            case "modparam" -> modparam();
            case "cfgengine" -> {
                if (peek().is("=")) next();
                res.cfgEngine = expectString(w);
                res.modulesBeforeCfgEngine = res.loadModules.size();
                optionalSemicolon();
            }
            case "request_route", "route", "failure_route", "branch_route", "onreply_route", "reply_route",
                 "onsend_route", "event_route" -> block(t);
            default -> {
                if (peek().is("=")) {
                    next();
                    global(t);
                } else {
                    throw error(t, "unknown statement '" + w + "'");
                }
            }
        }
    }

    private void global(Token name) {
        String n = name.text();
        List<Token> value = new ArrayList<>();
        while (true) {
            Token v = peek();
            if (v.kind() == Token.Kind.EOF || v.is(";") || (v.lineStart() && !value.isEmpty())) break;
            value.add(next());
        }
        optionalSemicolon();
        if (value.isEmpty()) throw error(name, "missing value for '" + n + "'");
        CoreParams.Type type = CoreParams.type(n);
        if (type == null) {
            // custom cfg variable "group.var = value [desc "text"]"
            if (n.indexOf('.') > 0 && !n.startsWith("kemi.")) {
                res.cfgVars.add(cfgVar(name, value));
                return;
            }
            throw error(name, "unknown global parameter '" + n + "'");
        }
        String text = switch (type) {
            case RAW -> raw(value);
            case INT, BOOL -> {
                // Kamailio's lexer reads yes/no/on/off/true/false as the numbers 1 and 0
                String s = raw(value).replace(" ", "");
                if (value.getFirst().kind() == Token.Kind.STRING || CoreParams.bool(s) == null) {
                    throw error(value.getFirst(), "'" + n + "' needs " + (type == CoreParams.Type.INT ? "an integer" : "yes/no or a number")
                            + ", not '" + raw(value) + "'");
                }
                yield s;
            }
            case STR -> {
                if (value.size() > 1 && value.getFirst().kind() == Token.Kind.STRING) {
                    throw error(value.get(1), "unexpected '" + value.get(1).source() + "' after the value of '" + n + "'");
                }
                yield value.size() == 1 ? value.getFirst().text() : raw(value);
            }
        };
        if (type == CoreParams.Type.RAW) checkListen(n, text, value.getFirst());
        res.globals.add(new GlobalParam(n, text, name.file(), name.line()));
    }

    /** value: a string, an integer (maybe negative) or yes/no, then optionally desc/descr/description "text". */
    private static CfgVarDecl cfgVar(Token name, List<Token> value) {
        String n = name.text();
        int dot = n.indexOf('.');
        if (dot != n.lastIndexOf('.') || dot == n.length() - 1) throw error(name, "bad cfg variable name '" + n + "' (group.var expected)");
        int i = 0;
        Token v = value.get(i++);
        Object val;
        if (v.kind() == Token.Kind.STRING) {
            val = v.text();
        } else if (v.is("-") && i < value.size() && value.get(i).kind() == Token.Kind.INT) {
            val = -Integer.parseInt(value.get(i++).text());
        } else if (v.kind() == Token.Kind.INT || (v.kind() == Token.Kind.ID && CoreParams.bool(v.text()) != null)) {
            Integer b = CoreParams.bool(v.text());
            if (b == null) throw error(v, "integer out of range: " + v.text());
            val = b;
        } else {
            throw error(v, "cfg variable '" + n + "' needs a string or an integer value, not '" + v.source() + "'");
        }
        String desc = "";
        if (i < value.size()) {
            Token d = value.get(i++);
            if (!(d.kind() == Token.Kind.ID && (d.is("desc") || d.is("descr") || d.is("description")))
                    || i >= value.size() || value.get(i).kind() != Token.Kind.STRING) {
                throw error(d, "unexpected '" + d.source() + "' after the value of '" + n + "' (desc \"text\" expected)");
            }
            desc = value.get(i++).text();
        }
        if (i < value.size()) throw error(value.get(i), "unexpected '" + value.get(i).source() + "' after the description of '" + n + "'");
        return new CfgVarDecl(n.substring(0, dot), n.substring(dot + 1), val, desc, name);
    }

    private void checkListen(String n, String text, Token at) {
        try {
            ListenSpec.parseAll(text);
        } catch (IllegalArgumentException e) {
            throw error(at, "bad " + n + " value: " + e.getMessage());
        }
    }

    /** Rebuilds the text of a value from its tokens, keeping the blanks that separated them. */
    private static String raw(List<Token> ts) {
        StringBuilder b = new StringBuilder();
        for (Token t : ts) {
            if (!b.isEmpty() && t.spaceBefore()) b.append(' ');
            b.append(t.source());
        }
        return b.toString();
    }

    private void modparam() {
        expect("(");
        Token mod = expectString("modparam");
        expect(",");
        Token param = expectString("modparam");
        expect(",");
        Token v = next();
        Object value;
        if (v.kind() == Token.Kind.STRING) {
            value = v.text();
        } else if (v.kind() == Token.Kind.INT) {
            value = parseInt(v, v.text());
        } else if (v.is("-") && peek().kind() == Token.Kind.INT) {
            value = parseInt(v, "-" + next().text());
        } else if (v.kind() == Token.Kind.ID && BOOLEAN_WORDS.containsKey(v.text())) {
            value = BOOLEAN_WORDS.get(v.text());
        } else {
            throw error(v, "modparam value must be a string, an integer or yes/no/on/off/true/false/enable/disable");
        }
        expect(")");
        optionalSemicolon();
        res.modparams.add(new ModParamDecl(mod, param, value, v));
    }

    /** Kamailio's lexer reads these words (lower case only) as the numbers 1 and 0. */
    private static final java.util.Map<String, Integer> BOOLEAN_WORDS = java.util.Map.of("yes", 1, "true", 1, "on", 1,
            "enable", 1, "no", 0, "false", 0, "off", 0, "disable", 0);

    private Integer parseInt(Token at, String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw error(at, "integer out of range: " + s);
        }
    }

    private void block(Token kw) {
        String w = kw.text();
        String name = "";
        if (peek().is("[")) {
            next();
            StringBuilder b = new StringBuilder();
            while (!peek().is("]")) {
                Token p = next();
                if (p.kind() == Token.Kind.EOF) throw error(kw, "missing ']' after " + w + "[");
                b.append(p.text());
            }
            next();
            name = b.toString();
        }
        int type;
        boolean sub = false;
        switch (w) {
            case "request_route" -> type = RouteType.REQUEST;
            case "route" -> {
                type = RouteType.REQUEST;
                sub = !name.isEmpty() && !name.equals("0");
                if (!sub) name = "";
            }
            case "failure_route" -> type = RouteType.FAILURE;
            case "branch_route" -> type = RouteType.BRANCH;
            case "reply_route" -> type = RouteType.CORE_REPLY;
            case "onreply_route" -> {
                boolean core = name.isEmpty() || name.equals("0");
                type = core ? RouteType.CORE_REPLY : RouteType.TM_ONREPLY;
                if (core) name = "";
            }
            case "onsend_route" -> type = RouteType.ONSEND;
            default -> { // event_route
                if (name.isEmpty()) throw error(kw, "event_route needs a name: event_route[group:event]");
                String lower = name.toLowerCase(Locale.ROOT);
                if (lower.startsWith("tm:branch-failure:")) {
                    type = RouteType.BRANCH_FAILURE;
                    name = name.substring("tm:branch-failure:".length());
                } else {
                    type = RouteType.EVENT;
                }
            }
        }
        if ((type == RouteType.FAILURE || type == RouteType.BRANCH) && name.isEmpty()) {
            throw error(kw, w + " needs a name: " + w + "[NAME]");
        }
        Token open = next();
        if (!open.is("{")) throw error(open, "'{' expected after " + w);
        int start = pos;
        int depth = 1;
        while (depth > 0) {
            Token t = next();
            if (t.kind() == Token.Kind.EOF) throw error(open, "unclosed '{' of " + w);
            if (t.is("{")) depth++;
            else if (t.is("}")) depth--;
        }
        RouteBlock b = new RouteBlock(type, name, sub, kw, start, pos - 1);
        for (RouteBlock o : res.blocks) {
            if (o.type() == b.type() && o.sub() == b.sub() && o.name().equals(b.name())) {
                throw error(kw, "duplicate " + b.label() + " (first at " + o.header().where() + ")");
            }
        }
        res.blocks.add(b);
    }

    private Token expectString(String what) {
        Token t = next();
        if (t.kind() != Token.Kind.STRING) throw error(t, what + ": quoted string expected");
        return t;
    }

    private void expect(String op) {
        Token t = next();
        if (!t.is(op)) throw error(t, "'" + op + "' expected, found '" + t.source() + "'");
    }

    private void optionalSemicolon() {
        if (peek().is(";")) next();
    }

    private Token peek() {
        return toks.get(pos);
    }

    private Token next() {
        Token t = toks.get(pos);
        if (t.kind() != Token.Kind.EOF) pos++;
        return t;
    }

    static ScriptException error(Token t, String why) {
        return new ScriptException(t.file(), t.line(), t.col(), why);
    }
}
