package dev.kemi.engine.cfg;

import dev.kemi.api.FunctionTable;
import dev.kemi.api.KemiFunction;
import dev.kemi.api.KemiType;
import dev.kemi.api.Pv;
import dev.kemi.api.PvProvider;
import dev.kemi.api.PvSpec;
import dev.kemi.api.PvSpecParser;
import dev.kemi.api.RouteType;
import dev.kemi.api.ScriptException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

/**
 * Parses route bodies into executable nodes, resolving at load time every function (by native
 * name and arity), pseudo-variable, constant regex and route name. Also checks that functions are
 * allowed in the blocks that reach them and that t_on_*() names exist.
 */
final class RouteCompiler {
    /** Core actions Kamailio accepts without parentheses. */
    private static final Set<String> NO_PARENS = Set.of("force_rport", "add_local_rport", "set_forward_no_connect",
            "set_reply_no_connect", "set_forward_close", "set_reply_close", "revert_uri", "clear_branches",
            "remove_branch");
    /** t_on_* functions and the block type their argument names. */
    private static final Map<String, Integer> ROUTE_ARMING = Map.of("t_on_failure", RouteType.FAILURE,
            "t_on_branch", RouteType.BRANCH, "t_on_reply", RouteType.TM_ONREPLY,
            "t_on_branch_failure", RouteType.BRANCH_FAILURE);

    private enum Kw { STR, IP, INT, PROTO, AF }

    private record Keyword(String pv, Kw kind) {}

    private static final Map<String, Keyword> KEYWORDS = Map.ofEntries(
            Map.entry("method", new Keyword("$rm", Kw.STR)), Map.entry("uri", new Keyword("$ru", Kw.STR)),
            Map.entry("from_uri", new Keyword("$fu", Kw.STR)), Map.entry("to_uri", new Keyword("$tu", Kw.STR)),
            Map.entry("src_ip", new Keyword("$si", Kw.IP)), Map.entry("dst_ip", new Keyword("$Ri", Kw.IP)),
            Map.entry("src_port", new Keyword("$sp", Kw.INT)), Map.entry("dst_port", new Keyword("$Rp", Kw.INT)),
            Map.entry("proto", new Keyword("$pr", Kw.PROTO)), Map.entry("af", new Keyword("$af", Kw.AF)),
            Map.entry("status", new Keyword("$rs", Kw.INT)), Map.entry("snd_ip", new Keyword("$snd(ip)", Kw.IP)),
            Map.entry("snd_port", new Keyword("$snd(port)", Kw.INT)), Map.entry("snd_proto", new Keyword("$snd(proto)", Kw.PROTO)),
            Map.entry("snd_af", new Keyword("$snd(af)", Kw.AF)), Map.entry("to_ip", new Keyword("$sndto(ip)", Kw.IP)),
            Map.entry("to_port", new Keyword("$sndto(port)", Kw.INT)));
    private static final Set<String> CONST_WORDS = Set.of("udp", "tcp", "tls", "sctp", "ws", "wss", "inet", "inet6");

    private record CallSite(KemiFunction f, Token at) {}

    private final List<Token> toks;
    private final List<RouteBlock> blocks;
    private final FunctionTable functions;
    private final PvProvider pvs;
    private final Run.Limits limits;
    private final List<String> warnings;

    private RouteSet routes;
    private final Map<Route, List<CallSite>> calls = new HashMap<>();
    private final Map<Route, List<Route>> refs = new HashMap<>();
    private final Map<Expr, Kw> keywordNodes = new IdentityHashMap<>();
    private boolean dynamicRouteCalls;
    private Route current;
    private int pos;
    private int end;

    RouteCompiler(List<Token> toks, List<RouteBlock> blocks, FunctionTable functions, PvProvider pvs,
                  int maxWhileLoops, int maxDepth, List<String> warnings) {
        this.toks = toks;
        this.blocks = blocks;
        this.functions = functions;
        this.pvs = pvs;
        this.limits = new Run.Limits(maxWhileLoops, maxDepth);
        this.warnings = warnings;
    }

    NativeScript compile() {
        routes = new RouteSet(blocks);
        for (RouteBlock b : blocks) {
            current = routes.of(b);
            calls.put(current, new ArrayList<>());
            refs.put(current, new ArrayList<>());
            pos = b.bodyStart();
            end = b.bodyEnd();
            current.body = list(false);
        }
        checkRouteTypes();
        warnUncalled();
        return new NativeScript(routes, limits);
    }

    // ---- checks over the whole script

    private void checkRouteTypes() {
        Set<String> seen = new HashSet<>();
        for (RouteBlock b : blocks) {
            if (!b.sub()) check(routes.of(b), b.type(), b.label(), seen);
        }
    }

    private void check(Route r, int type, String top, Set<String> seen) {
        if (!seen.add(r.label() + "/" + type)) return;
        for (CallSite c : calls.get(r)) {
            if ((c.f().routes() & type) != 0) continue;
            if (!r.block.sub()) {
                throw error(c.at(), "'" + c.at().text() + "' cannot be used in " + top + ": command cannot be used in the block");
            }
            // Kamailio does not check sub-routes against their callers: only warn
            warnings.add(c.at().where() + ": '" + c.at().text() + "' cannot be used in " + top
                    + " (reached through " + r.label() + ")");
        }
        for (Route sub : refs.get(r)) check(sub, type, top, seen);
    }

    private void warnUncalled() {
        if (dynamicRouteCalls) return;
        Set<Route> called = new HashSet<>();
        for (List<Route> l : refs.values()) called.addAll(l);
        for (RouteBlock b : blocks) {
            if (b.sub() && !called.contains(routes.subs.get(b.name()))) {
                warnings.add(b.header().where() + ": " + b.label() + " is never called with route()");
            }
        }
    }

    // ---- statements

    /** Statements up to the end of the block body (top) or the closing brace (nested). */
    private Stmt[] list(boolean nested) {
        List<Stmt> out = new ArrayList<>();
        while (true) {
            Token t = peek();
            if (nested && t.is("}")) {
                next();
                break;
            }
            if (t.kind() == Token.Kind.EOF) {
                if (nested) throw error(t, "'}' expected");
                break;
            }
            Stmt s = stmt();
            if (s != null) out.add(s);
        }
        return out.toArray(new Stmt[0]);
    }

    /** One statement, or null for an empty one. */
    private Stmt stmt() {
        Token t = next();
        if (t.is(";")) return null;
        if (t.is("{")) return new Stmts.Block(list(true));
        if (t.kind() == Token.Kind.PV) return assignment(t);
        if (t.kind() != Token.Kind.ID) throw error(t, "unexpected '" + t.source() + "'");
        switch (t.text()) {
            case "if" -> {
                Expr cond = expr();
                Stmt[] then = body();
                Stmt[] otherwise = null;
                if (peek().isId("else")) {
                    next();
                    otherwise = body();
                }
                return new Stmts.If(cond, then, otherwise, t);
            }
            case "while" -> {
                Expr cond = expr();
                return new Stmts.While(cond, body(), t);
            }
            case "switch" -> {
                return switchStmt(t);
            }
            case "return" -> {
                return flow(t, Run.RETURN, 1, false);
            }
            case "exit" -> {
                return flow(t, Run.EXIT, 1, false);
            }
            case "drop" -> {
                return flow(t, Run.EXIT, 0, true);
            }
            case "break" -> {
                semicolon();
                return new Stmts.Flow(Run.BREAK, null, 0, false, t);
            }
            case "route" -> {
                Stmt s = routeCall(t);
                semicolon();
                return s;
            }
            case "else", "case", "default" -> throw error(t, "unexpected '" + t.text() + "'");
            default -> {
                if (peek().is("(")) {
                    Stmt s = call(t);
                    semicolon();
                    return s;
                }
                if (NO_PARENS.contains(t.text()) && peek().is(";")) {
                    next();
                    return makeCall(t, List.of(), List.of());
                }
                throw error(t, "'(' ')' expected after '" + t.text() + "' (function call)");
            }
        }
    }

    private Stmt[] body() {
        if (peek().is("{")) {
            next();
            return list(true);
        }
        Stmt s = stmt();
        return s == null ? new Stmt[0] : new Stmt[] {s};
    }

    private Stmt flow(Token t, int flag, int defaultCode, boolean drop) {
        Expr value = null;
        if (peek().is("(") && peek(1).is(")")) {
            next();
            next();
        } else if (!peek().is(";")) {
            value = expr();
        }
        semicolon();
        return new Stmts.Flow(flag, value, defaultCode, drop, t);
    }

    private Stmt switchStmt(Token kw) {
        Expr value = expr();
        expect("{");
        List<Stmt> body = new ArrayList<>();
        List<Object> labels = new ArrayList<>();
        List<Integer> entries = new ArrayList<>();
        int def = -1;
        boolean strings = false;
        boolean ints = false;
        while (!peek().is("}")) {
            Token t = peek();
            if (t.kind() == Token.Kind.EOF) throw error(t, "'}' expected to close switch");
            if (t.isId("case")) {
                next();
                Token l = next();
                Object label;
                if (l.kind() == Token.Kind.STRING) {
                    label = l.text();
                    strings = true;
                } else if (l.kind() == Token.Kind.INT || (l.is("-") && peek().kind() == Token.Kind.INT)) {
                    label = l.is("-") ? -intValue(next()) : intValue(l);
                    ints = true;
                } else {
                    throw error(l, "non constant expression in case");
                }
                if (labels.contains(label)) throw error(l, "duplicate case " + l.source());
                expect(":");
                labels.add(label);
                entries.add(body.size());
            } else if (t.isId("default")) {
                next();
                expect(":");
                if (def >= 0) throw error(t, "more than one default in switch");
                def = body.size();
            } else {
                Stmt s = stmt();
                if (s != null) body.add(s);
            }
        }
        Token close = next();
        if (strings && ints) throw error(close, "type mismatch in case labels (strings and integers mixed)");
        int[] e = entries.stream().mapToInt(Integer::intValue).toArray();
        return new Stmts.Switch(value, strings, labels.toArray(), e, def, body.toArray(new Stmt[0]), kw);
    }

    private Stmt assignment(Token t) {
        Pv pv = pv(t);
        if (pv == null || !pv.writable()) throw error(t, "read only pvar in assignment left side: " + t.text());
        expect("=");
        Expr value = expr();
        semicolon();
        // "$x = f();" stores f's return code; inside a larger expression a call is a boolean
        if (value instanceof Exprs.CallValue cv) value = new Exprs.CallCode(cv.call);
        return new Stmts.Assign(pv, value, t);
    }

    private Stmt routeCall(Token kw) {
        expect("(");
        Token t = peek();
        boolean literal = t.kind() == Token.Kind.ID || t.kind() == Token.Kind.INT || t.kind() == Token.Kind.STRING;
        if (literal && peek(1).is(")")) {
            next();
            next();
            Route r = routes.subs.get(t.text());
            if (r == null) throw error(t, "route '" + t.text() + "' is not defined (no route[" + t.text() + "] block)");
            refs.get(current).add(r);
            return new Stmts.RouteCall(r);
        }
        Expr name = expr();
        expect(")");
        dynamicRouteCalls = true;
        return new Stmts.DynRouteCall(name, routes.subs, kw);
    }

    private Stmt call(Token name) {
        expect("(");
        List<Expr> args = new ArrayList<>();
        List<Token> argToks = new ArrayList<>();
        if (!peek().is(")")) {
            do {
                int start = pos;
                Token first = peek();
                Expr e = expr();
                // a lone string literal is a format: "$ru" in it is expanded at call time
                if (pos == start + 1 && first.kind() == Token.Kind.STRING) e = format(first);
                args.add(e);
                argToks.add(first);
            } while (accept(","));
        }
        expect(")");
        return makeCall(name, args, argToks);
    }

    private Stmt makeCall(Token name, List<Expr> args, List<Token> argToks) {
        String n = name.text();
        KemiFunction f = functions.nativeFunction(n, args.size());
        if (f == null) {
            List<KemiFunction> all = functions.natives(n);
            if (all.isEmpty()) throw error(name, "unknown command '" + n + "', missing loadmodule?");
            List<Integer> arities = all.stream().map(k -> k.params().size()).sorted().toList();
            throw error(name, "'" + n + "' called with " + args.size() + " parameter(s), accepts " + arities);
        }
        boolean[] intParam = new boolean[args.size()];
        for (int i = 0; i < intParam.length; i++) {
            intParam[i] = f.params().get(i) == KemiType.INT;
            Expr a = args.get(i);
            if (intParam[i] && a instanceof Exprs.Const c && c.value instanceof String s) {
                Integer v = Values.parseInt(s);
                if (v == null) throw error(argToks.get(i), "parameter " + (i + 1) + " of '" + n + "' must be an integer, not \"" + s + "\"");
                args.set(i, new Exprs.Const(v));
            }
        }
        Integer armed = ROUTE_ARMING.get(n);
        if (armed != null && args.size() == 1 && args.getFirst() instanceof Exprs.Const c) {
            String rn = Values.toStr(c.value);
            if (routes.find(armed, rn) == null) {
                String block = armed == RouteType.BRANCH_FAILURE ? "event_route[tm:branch-failure:" + rn + "]"
                        : RouteType.name(armed) + "[" + rn + "]";
                throw error(argToks.getFirst(), n + "(\"" + rn + "\"): " + block + " is not defined");
            }
        }
        calls.get(current).add(new CallSite(f, name));
        return new Stmts.Call(f, name, args.toArray(new Expr[0]), intParam);
    }

    // ---- expressions, lowest precedence first (Kamailio cfg.y)

    /**
     * Static types of expressions, checked as Kamailio's rve_check_type does at parse time:
     * mixing constant strings and integers is a cfg error ("10 == \"abc\"", "1 + \"2\"").
     */
    private enum Ty { INT, STR, NONE }

    private final Map<Expr, Ty> types = new IdentityHashMap<>();
    private final Map<Expr, Token> starts = new IdentityHashMap<>();

    private Expr typed(Expr e, Token start, Ty ty) {
        types.put(e, ty);
        starts.put(e, start);
        return e;
    }

    private Ty ty(Expr e) {
        return types.getOrDefault(e, Ty.NONE);
    }

    private Token start(Expr e) {
        return starts.get(e);
    }

    private void need(Expr e, Ty want) {
        Ty t = ty(e);
        if (t != Ty.NONE && t != want) mismatch(e, t, want);
    }

    /** Right converted to left: both known and different is an error, except str op int. */
    private void compatible(Expr left, Expr right) {
        Ty a = ty(left);
        Ty b = ty(right);
        if (a != b && a != Ty.NONE && b != Ty.NONE && !(a == Ty.STR && b == Ty.INT)) mismatch(right, b, a);
    }

    private void mismatch(Expr e, Ty got, Ty want) {
        throw error(start(e), "bad expression: type mismatch: " + got.name().toLowerCase(Locale.ROOT)
                + " instead of " + want.name().toLowerCase(Locale.ROOT));
    }

    private Expr intOp(Exprs.IntOp.Op op, Expr a, Expr b) {
        need(a, Ty.INT);
        need(b, Ty.INT);
        return typed(new Exprs.IntOp(op, a, b), start(a), Ty.INT);
    }

    private Expr expr() {
        Expr e = and();
        while (accept("||") || acceptWord("or")) {
            Expr b = and();
            need(e, Ty.INT);
            need(b, Ty.INT);
            e = typed(new Exprs.Or(e, b), start(e), Ty.INT);
        }
        return e;
    }

    private Expr and() {
        Expr e = bor();
        while (accept("&&") || acceptWord("and")) {
            Expr b = bor();
            need(e, Ty.INT);
            need(b, Ty.INT);
            e = typed(new Exprs.And(e, b), start(e), Ty.INT);
        }
        return e;
    }

    private Expr bor() {
        Expr e = band();
        while (accept("|")) e = intOp(Exprs.IntOp.Op.BOR, e, band());
        return e;
    }

    private Expr band() {
        Expr e = bxor();
        while (accept("&")) e = intOp(Exprs.IntOp.Op.BAND, e, bxor());
        return e;
    }

    private Expr bxor() {
        Expr e = shl();
        while (accept("^")) e = intOp(Exprs.IntOp.Op.BXOR, e, shl());
        return e;
    }

    private Expr shl() {
        Expr e = shr();
        while (accept("<<")) e = intOp(Exprs.IntOp.Op.SHL, e, shr());
        return e;
    }

    private Expr shr() {
        Expr e = equality();
        while (accept(">>")) e = intOp(Exprs.IntOp.Op.SHR, e, equality());
        return e;
    }

    private Expr equality() {
        Expr left = relational();
        while (true) {
            Token op = peek();
            String o = op.text();
            boolean isOp = (op.kind() == Token.Kind.OP && (o.equals("==") || o.equals("!=") || o.equals("=~")))
                    || (op.kind() == Token.Kind.ID && (o.equals("eq") || o.equals("ne") || o.equals("ieq") || o.equals("ine")));
            if (!isOp) return left;
            next();
            boolean neg = o.equals("!=") || o.equals("ne") || o.equals("ine");
            boolean plainEq = o.equals("==") || o.equals("!=");
            Kw kw = keywordNodes.get(left);
            Token at = start(left);
            if (plainEq && peek().isId("myself")) {
                next();
                left = typed(new Exprs.Myself(left, neg), at, Ty.INT);
                continue;
            }
            if (plainEq && peek().kind() == Token.Kind.PV && peek().text().equals("$null")) {
                next();
                left = typed(new Exprs.Defined(left, !neg), at, Ty.INT);
                continue;
            }
            if (plainEq && kw == Kw.IP && peek().kind() == Token.Kind.ADDR) {
                left = typed(ipNet(left, neg), at, Ty.INT);
                continue;
            }
            Token rightTok = peek();
            Expr right = relational();
            switch (o) {
                case "==", "!=" -> {
                    compatible(left, right);
                    left = compare(left, kw, right, rightTok, neg);
                }
                case "=~" -> {
                    compatible(left, right);
                    need(left, Ty.STR);
                    left = new Exprs.Match(left, right, constRegex(right, rightTok));
                }
                case "eq", "ne" -> {
                    compatible(left, right);
                    need(left, Ty.STR);
                    left = new Exprs.StrEq(left, right, neg, false);
                }
                default -> {
                    need(left, Ty.INT);
                    need(right, Ty.INT);
                    left = new Exprs.IntOp(neg ? Exprs.IntOp.Op.INE : Exprs.IntOp.Op.IEQ, left, right);
                }
            }
            typed(left, at, Ty.INT);
        }
    }

    private Expr compare(Expr left, Kw kw, Expr right, Token rightTok, boolean neg) {
        if (kw != null && right instanceof Exprs.Const c && c.value instanceof String s) {
            switch (kw) {
                case STR, PROTO -> {
                    return new Exprs.StrEq(left, right, neg, true);
                }
                case AF -> {
                    String l = s.toLowerCase(Locale.ROOT);
                    if (!l.equals("inet") && !l.equals("inet6")) throw error(rightTok, "af can be compared with INET or INET6");
                    return new Exprs.AfEq(left, l.equals("inet6"), neg);
                }
                case IP -> {
                    byte[] ip = Exprs.ipBytes(s);
                    if (ip != null) return new Exprs.IpMatch(left, ip, ip.length * 8, neg);
                    return new Exprs.StrEq(left, right, neg, true);
                }
                default -> { }
            }
        }
        if (kw == Kw.STR || kw == Kw.PROTO) return new Exprs.StrEq(left, right, neg, true);
        return new Exprs.Eq(left, right, neg);
    }

    /** {@code 10.0.0.0/8} or a plain address after an IP keyword. */
    private Expr ipNet(Expr left, boolean neg) {
        Token a = next();
        byte[] ip = Exprs.ipBytes(a.text());
        if (ip == null) throw error(a, "bad IP address " + a.text());
        int bits = ip.length * 8;
        if (peek().is("/")) {
            next();
            Token m = next();
            if (m.kind() == Token.Kind.INT) {
                bits = intValue(m);
            } else if (m.kind() == Token.Kind.ADDR && Exprs.ipBytes(m.text()) != null) {
                bits = 0;
                for (byte b : Exprs.ipBytes(m.text())) bits += Integer.bitCount(b & 0xff);
            } else {
                throw error(m, "bad network mask " + m.text());
            }
            if (bits < 0 || bits > ip.length * 8) throw error(m, "bad network mask " + m.text());
        }
        return new Exprs.IpMatch(left, ip, bits, neg);
    }

    private java.util.regex.Pattern constRegex(Expr right, Token at) {
        if (!right.constant() || right instanceof Exprs.Null) return null;
        String re = Values.toStr(right.eval(null));
        try {
            return Values.regex(re);
        } catch (PatternSyntaxException e) {
            throw error(at, "bad regular expression \"" + re + "\": " + e.getDescription());
        }
    }

    private Expr relational() {
        Expr e = additive();
        while (true) {
            Exprs.IntOp.Op op;
            if (peek().is(">")) op = Exprs.IntOp.Op.GT;
            else if (peek().is(">=")) op = Exprs.IntOp.Op.GE;
            else if (peek().is("<")) op = Exprs.IntOp.Op.LT;
            else if (peek().is("<=")) op = Exprs.IntOp.Op.LE;
            else return e;
            next();
            e = intOp(op, e, additive());
        }
    }

    private Expr additive() {
        Expr e = multiplicative();
        while (true) {
            if (accept("+")) {
                Expr b = multiplicative();
                compatible(e, b);
                e = typed(new Exprs.Plus(e, b), start(e), ty(e));
            } else if (accept("-")) {
                e = intOp(Exprs.IntOp.Op.MINUS, e, multiplicative());
            } else {
                return e;
            }
        }
    }

    private Expr multiplicative() {
        Expr e = unary();
        while (true) {
            Exprs.IntOp.Op op;
            if (peek().is("*")) op = Exprs.IntOp.Op.MUL;
            else if (peek().is("/")) op = Exprs.IntOp.Op.DIV;
            else if (peek().isId("mod") || peek().is("%")) op = Exprs.IntOp.Op.MOD;
            else return e;
            next();
            e = intOp(op, e, unary());
        }
    }

    private Expr unary() {
        Token t = peek();
        if (accept("!") || acceptWord("not")) return typed(new Exprs.Not(intOperand()), t, Ty.INT);
        if (accept("~")) return typed(new Exprs.BitNot(intOperand()), t, Ty.INT);
        if (accept("-")) {
            Expr e = intOperand();
            return typed(e instanceof Exprs.Const c && c.value instanceof Integer i ? new Exprs.Const(-i) : new Exprs.Neg(e), t, Ty.INT);
        }
        if (t.isId("defined")) {
            next();
            Expr e = unary();
            need(e, Ty.STR);
            return typed(new Exprs.Defined(e, false), t, Ty.INT);
        }
        if (t.is("(") && peek(2).is(")") && (peek(1).isId("int") || peek(1).isId("str"))) {
            next();
            boolean toInt = next().text().equals("int");
            next();
            Expr e = unary();
            return toInt ? typed(new Exprs.IntCast(e), t, Ty.INT) : typed(new Exprs.StrCast(e), t, Ty.STR);
        }
        return primary();
    }

    private Expr intOperand() {
        Expr e = unary();
        need(e, Ty.INT);
        return e;
    }

    private Expr primary() {
        Token t = next();
        switch (t.kind()) {
            case INT -> {
                return typed(new Exprs.Const(intValue(t)), t, Ty.INT);
            }
            case STRING, ADDR -> {
                return typed(new Exprs.Const(t.text()), t, Ty.STR);
            }
            case PV -> {
                return typed(pvExpr(t), t, Ty.NONE);
            }
            case OP -> {
                if (t.is("(")) {
                    Expr e = expr();
                    expect(")");
                    return typed(e, t, ty(e));
                }
                throw error(t, "unexpected '" + t.text() + "' in expression");
            }
            case ID -> {
                return idExpr(t);
            }
            default -> throw error(t, "expression expected");
        }
    }

    private Expr idExpr(Token t) {
        String w = t.text();
        switch (w) {
            case "strlen", "strempty" -> {
                expect("(");
                Expr e = expr();
                expect(")");
                need(e, Ty.STR);
                return typed(w.equals("strlen") ? new Exprs.StrLen(e) : new Exprs.StrEmpty(e), t, Ty.INT);
            }
            case "route" -> {
                return typed(new Exprs.CallValue(routeCall(t)), t, Ty.INT);
            }
            case "myself" -> throw error(t, "'myself' can only be compared with == or !=");
            case "msg" -> {
                if (peek().is(":") && peek(1).isId("len")) {
                    next();
                    next();
                    return keyword(t, new Keyword("$ml", Kw.INT));
                }
            }
            default -> { }
        }
        if (peek().is("(")) return typed(new Exprs.CallValue(call(t)), t, Ty.INT);
        Keyword k = KEYWORDS.get(w);
        if (k != null) return keyword(t, k);
        if (CONST_WORDS.contains(w.toLowerCase(Locale.ROOT))) return typed(new Exprs.Const(w), t, Ty.STR);
        throw error(t, "unexpected identifier '" + w + "' in expression");
    }

    private Expr keyword(Token t, Keyword k) {
        Pv pv = resolve(t, k.pv());
        Expr e = new Exprs.PvRead(pv);
        keywordNodes.put(e, k.kind());
        return typed(e, t, Ty.NONE);
    }

    private Expr pvExpr(Token t) {
        String s = t.text();
        if (s.equals("$null")) return new Exprs.Null();
        if (s.equals("$rc") || s.equals("$retcode") || s.equals("$?")) return new Exprs.Rc();
        return new Exprs.PvRead(resolve(t, s));
    }

    /** The writable PV of an assignment's left side; null for $null/$rc. */
    private Pv pv(Token t) {
        String s = t.text();
        if (s.equals("$null") || s.equals("$rc") || s.equals("$retcode") || s.equals("$?")) return null;
        return resolve(t, s);
    }

    private Pv resolve(Token t, String text) {
        try {
            return pvs.resolve(PvSpec.parse(text));
        } catch (IllegalArgumentException e) {
            throw error(t, "unknown pseudo-variable " + text + ": " + e.getMessage());
        }
    }

    /** A string literal function parameter: constant, or a format with pseudo-variables. */
    private Expr format(Token t) {
        String s = t.text();
        if (s.indexOf('$') < 0) return new Exprs.Const(s);
        List<String> texts = new ArrayList<>();
        List<Expr> parts = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '$') {
                lit.append(c);
                i++;
                continue;
            }
            int stop;
            String pvText;
            if (s.startsWith("$?", i)) {
                stop = i + 2;
            } else {
                try {
                    PvSpecParser p = new PvSpecParser(s, i);
                    p.parse();
                    stop = p.position();
                } catch (IllegalArgumentException e) {
                    lit.append(c); // not a pseudo-variable (e.g. a regex anchor): literal '$'
                    i++;
                    continue;
                }
            }
            pvText = s.substring(i, stop);
            texts.add(lit.toString());
            lit.setLength(0);
            parts.add(pvText.equals("$null") ? new Exprs.Null() : pvExpr(new Token(Token.Kind.PV, pvText, t.file(), t.line(), t.col(), true, false)));
            i = stop;
        }
        if (parts.isEmpty()) return new Exprs.Const(lit.toString());
        texts.add(lit.toString());
        return new Exprs.Format(texts.toArray(new String[0]), parts.toArray(new Expr[0]));
    }

    // ---- tokens

    private int intValue(Token t) {
        try {
            return Integer.parseInt(t.text());
        } catch (NumberFormatException e) {
            throw error(t, "integer out of range: " + t.text());
        }
    }

    private Token peek() {
        return peek(0);
    }

    private Token peek(int ahead) {
        int p = pos + ahead;
        if (p < end) return toks.get(p);
        Token close = toks.get(end);
        return new Token(Token.Kind.EOF, "", close.file(), close.line(), close.col(), true, false);
    }

    private Token next() {
        Token t = peek();
        if (pos < end) pos++;
        return t;
    }

    private boolean accept(String op) {
        if (peek().kind() == Token.Kind.OP && peek().text().equals(op)) {
            pos++;
            return true;
        }
        return false;
    }

    /** The word forms of the logical operators: and, or, not. */
    private boolean acceptWord(String w) {
        if (peek().isId(w)) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(String op) {
        Token t = next();
        if (!(t.kind() == Token.Kind.OP && t.text().equals(op))) {
            throw error(t, "'" + op + "' expected, found '" + (t.kind() == Token.Kind.EOF ? "end of block" : t.source()) + "'");
        }
    }

    private void semicolon() {
        expect(";");
    }

    private static ScriptException error(Token t, String why) {
        return new ScriptException(t.file(), t.line(), t.col(), why);
    }
}
