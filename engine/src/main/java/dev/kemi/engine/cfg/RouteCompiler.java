package dev.kemi.engine.cfg;

import dev.kemi.api.FunctionTable;
import dev.kemi.api.KemiFunction;
import dev.kemi.api.KemiType;
import dev.kemi.api.Pv;
import dev.kemi.api.PvProvider;
import dev.kemi.api.RouteType;
import dev.kemi.api.ScriptException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles route bodies into executable nodes: statements here, expressions in
 * {@link ExprCompiler}. Every function (by native name and arity) and route name is resolved at
 * load time; it also checks that functions are allowed in the blocks that reach them, that
 * route() names exist (an error, as in Kamailio) and warns about t_on_*() names without a block.
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

    /** A call: the function, its name token and its closing parenthesis (where cfg.y reports). */
    private record CallSite(KemiFunction f, Token at, Token end) {}

    private final Cursor in;
    private final ExprCompiler exprs;
    private final List<RouteBlock> blocks;
    private final FunctionTable functions;
    private final Run.Limits limits;
    private final List<String> warnings;

    private RouteSet routes;
    private final Map<Route, List<CallSite>> calls = new HashMap<>();
    private final Map<Route, List<Route>> refs = new HashMap<>();
    private boolean dynamicRouteCalls;
    private Route current;

    RouteCompiler(List<Token> toks, List<RouteBlock> blocks, FunctionTable functions, PvProvider pvs,
                  int maxWhileLoops, int maxDepth, List<String> warnings) {
        this.in = new Cursor(toks);
        this.exprs = new ExprCompiler(in, pvs, new ExprCompiler.Calls() {
            public Stmt call(Token name) {
                return RouteCompiler.this.call(name);
            }

            public Stmt routeCall(Token kw) {
                return RouteCompiler.this.routeCall(kw);
            }
        });
        this.blocks = blocks;
        this.functions = functions;
        this.limits = new Run.Limits(maxWhileLoops, maxDepth);
        this.warnings = warnings;
    }

    NativeScript compile() {
        routes = new RouteSet(blocks);
        for (RouteBlock b : blocks) {
            current = routes.of(b);
            calls.put(current, new ArrayList<>());
            refs.put(current, new ArrayList<>());
            in.reset(b.bodyStart(), b.bodyEnd());
            current.body = list(false);
        }
        checkRouteTypes();
        warnUncalled();
        return new NativeScript(routes, limits);
    }

    // ---- checks over the whole script

    /**
     * As cfg.y does while parsing: each block's calls against the block's route type (route[...]
     * counts as request_route, every event_route as EVENT_ROUTE), the error at the call's ')'.
     * Kamailio does not check a route[...] against the blocks that call it: that is a warning here.
     */
    private void checkRouteTypes() {
        List<ScriptException> misplaced = new ArrayList<>();
        for (RouteBlock b : blocks) {
            int rt = RouteType.parseType(b.type(), b.sub());
            for (CallSite c : calls.get(routes.of(b))) {
                if (c.f().module().isEmpty() && c.f().nativeModule().isEmpty() && rt == RouteType.ONSEND && (c.f().routes() & RouteType.ONSEND) == 0) {
                    misplaced.add(Cursor.error(c.end(), "command not allowed in onsend_route: " + c.at().text() + "()"));
                } else if (!RouteType.allows(c.f().routes(), rt)) {
                    misplaced.add(Cursor.error(c.end(), "Command cannot be used in the block: " + c.at().text() + "() in "
                            + b.label() + " (allowed in " + RouteType.describe(c.f().routes()) + ")"));
                }
            }
        }
        // every misplaced call at once, as kamailio -c reports them: the first, the others suppressed
        if (!misplaced.isEmpty()) {
            for (ScriptException e : misplaced.subList(1, misplaced.size())) misplaced.get(0).addSuppressed(e);
            throw misplaced.get(0);
        }
        Set<String> seen = new HashSet<>();
        for (RouteBlock b : blocks) {
            if (b.sub()) continue;
            int rt = RouteType.parseType(b.type(), false);
            for (Route sub : refs.get(routes.of(b))) warnReached(sub, rt, b.label(), seen);
        }
    }

    private void warnReached(Route r, int rt, String top, Set<String> seen) {
        if (!seen.add(r.label() + "/" + rt)) return;
        for (CallSite c : calls.get(r)) {
            if (RouteType.allows(c.f().routes(), rt)) continue;
            warnings.add(c.at().where() + ": '" + c.at().text() + "' cannot be used in " + top
                    + " (reached through " + r.label() + ")");
        }
        for (Route sub : refs.get(r)) warnReached(sub, rt, top, seen);
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
            Token t = in.peek();
            if (nested && t.is("}")) {
                in.next();
                break;
            }
            if (t.kind() == Token.Kind.EOF) {
                if (nested) throw Cursor.error(t, "'}' expected");
                break;
            }
            Stmt s = stmt();
            if (s != null) out.add(s);
        }
        return out.toArray(new Stmt[0]);
    }

    /** One statement, or null for an empty one. */
    private Stmt stmt() {
        Token t = in.next();
        if (t.is(";")) return null;
        if (t.is("{")) return new Stmts.Block(list(true));
        if (t.kind() == Token.Kind.PV) return assignment(t);
        if (t.kind() != Token.Kind.ID) throw Cursor.error(t, "unexpected '" + t.source() + "'");
        switch (t.text()) {
            case "if" -> {
                Expr cond = exprs.expr();
                Stmt[] then = body();
                Stmt[] otherwise = null;
                if (in.peek().isId("else")) {
                    in.next();
                    otherwise = body();
                }
                return new Stmts.If(cond, then, otherwise, t);
            }
            case "while" -> {
                Expr cond = exprs.expr();
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
                in.expect(";");
                return new Stmts.Flow(Run.BREAK, null, 0, false, t);
            }
            case "route" -> {
                Stmt s = routeCall(t);
                in.expect(";");
                return s;
            }
            case "else", "case", "default" -> throw Cursor.error(t, "unexpected '" + t.text() + "'");
            default -> {
                if (in.peek().is("(")) {
                    Stmt s = call(t);
                    in.expect(";");
                    return s;
                }
                if (NO_PARENS.contains(t.text()) && in.peek().is(";")) {
                    in.next();
                    return makeCall(t, List.of(), List.of(), t);
                }
                throw Cursor.error(t, "'(' ')' expected after '" + t.text() + "' (function call)");
            }
        }
    }

    private Stmt[] body() {
        if (in.peek().is("{")) {
            in.next();
            return list(true);
        }
        Stmt s = stmt();
        return s == null ? new Stmt[0] : new Stmt[] {s};
    }

    private Stmt flow(Token t, int flag, int defaultCode, boolean drop) {
        Expr value = null;
        if (in.peek().is("(") && in.peek(1).is(")")) {
            in.next();
            in.next();
        } else if (!in.peek().is(";")) {
            value = exprs.expr();
        }
        in.expect(";");
        return new Stmts.Flow(flag, value, defaultCode, drop, t);
    }

    private Stmt switchStmt(Token kw) {
        Expr value = exprs.expr();
        in.expect("{");
        List<Stmt> body = new ArrayList<>();
        List<Object> labels = new ArrayList<>();
        List<Integer> entries = new ArrayList<>();
        int def = -1;
        boolean strings = false;
        boolean ints = false;
        while (!in.peek().is("}")) {
            Token t = in.peek();
            if (t.kind() == Token.Kind.EOF) throw Cursor.error(t, "'}' expected to close switch");
            if (t.isId("case")) {
                in.next();
                Token l = in.next();
                Object label;
                if (l.kind() == Token.Kind.STRING) {
                    label = l.text();
                    strings = true;
                } else if (l.kind() == Token.Kind.INT || (l.is("-") && in.peek().kind() == Token.Kind.INT)) {
                    label = l.is("-") ? -in.intValue(in.next()) : in.intValue(l);
                    ints = true;
                } else {
                    throw Cursor.error(l, "non constant expression in case");
                }
                if (labels.contains(label)) throw Cursor.error(l, "duplicate case " + l.source());
                in.expect(":");
                labels.add(label);
                entries.add(body.size());
            } else if (t.isId("default")) {
                in.next();
                in.expect(":");
                if (def >= 0) throw Cursor.error(t, "more than one default in switch");
                def = body.size();
            } else {
                Stmt s = stmt();
                if (s != null) body.add(s);
            }
        }
        Token close = in.next();
        if (strings && ints) throw Cursor.error(close, "type mismatch in case labels (strings and integers mixed)");
        int[] e = entries.stream().mapToInt(Integer::intValue).toArray();
        return new Stmts.Switch(value, strings, labels.toArray(), e, def, body.toArray(new Stmt[0]), kw);
    }

    private Stmt assignment(Token t) {
        Pv pv = exprs.pv(t);
        if (pv == null || !pv.writable()) throw Cursor.error(t, "read only pvar in assignment left side: " + t.text());
        in.expect("=");
        Expr value = exprs.expr();
        in.expect(";");
        // "$x = f();" stores f's return code; inside a larger expression a call is a boolean
        if (value instanceof Exprs.CallValue cv) value = new Exprs.CallCode(cv.call);
        return new Stmts.Assign(pv, value, t);
    }

    private Stmt routeCall(Token kw) {
        in.expect("(");
        Token t = in.peek();
        boolean literal = t.kind() == Token.Kind.ID || t.kind() == Token.Kind.INT || t.kind() == Token.Kind.STRING;
        if (literal && in.peek(1).is(")")) {
            in.next();
            in.next();
            Route r = routes.subs.get(t.text());
            if (r == null) throw Cursor.error(t, "route '" + t.text() + "' is not defined (no route[" + t.text() + "] block)");
            refs.get(current).add(r);
            return new Stmts.RouteCall(r, kw);
        }
        Expr name = exprs.expr();
        in.expect(")");
        dynamicRouteCalls = true;
        return new Stmts.DynRouteCall(name, routes.subs, kw);
    }

    private Stmt call(Token name) {
        in.expect("(");
        List<Expr> args = new ArrayList<>();
        List<Token> argToks = new ArrayList<>();
        if (name.text().equals("force_send_socket") && in.peek().kind() != Token.Kind.STRING
                && in.peek().kind() != Token.Kind.PV) {
            // Kamailio's grammar takes an unquoted socket here: force_send_socket(udp:10.0.0.1:5060)
            argToks.add(in.peek());
            args.add(new Exprs.Const(rawUntilCloseParen()));
        } else if (!in.peek().is(")")) {
            do {
                int start = in.position();
                Token first = in.peek();
                Expr e = exprs.expr();
                // a lone string literal is a format: "$ru" in it is expanded at call time
                if (in.position() == start + 1 && first.kind() == Token.Kind.STRING) e = exprs.format(first);
                args.add(e);
                argToks.add(first);
            } while (in.accept(","));
        }
        in.expect(")");
        return makeCall(name, args, argToks, in.last());
    }

    /** The source text of the tokens up to the next ')' (not consumed). */
    private String rawUntilCloseParen() {
        StringBuilder b = new StringBuilder();
        while (!in.peek().is(")") && in.peek().kind() != Token.Kind.EOF) {
            Token t = in.next();
            if (!b.isEmpty() && t.spaceBefore()) b.append(' ');
            b.append(t.source());
        }
        return b.toString();
    }

    private Stmt makeCall(Token name, List<Expr> args, List<Token> argToks, Token end) {
        String n = name.text();
        KemiFunction f = functions.nativeFunction(n, args.size());
        if (f == null) {
            List<KemiFunction> all = functions.natives(n);
            if (all.isEmpty()) throw Cursor.error(name, "unknown command '" + n + "', missing loadmodule?");
            List<Integer> arities = all.stream().map(k -> k.params().size()).sorted().toList();
            throw Cursor.error(name, "'" + n + "' called with " + args.size() + " parameter(s), accepts " + arities);
        }
        boolean[] intParam = new boolean[args.size()];
        for (int i = 0; i < intParam.length; i++) {
            intParam[i] = f.params().get(i) == KemiType.INT;
            Expr a = args.get(i);
            if (intParam[i] && a instanceof Exprs.Const c && c.value instanceof String s) {
                Integer v = Values.parseInt(s);
                if (v == null) throw Cursor.error(argToks.get(i), "parameter " + (i + 1) + " of '" + n + "' must be an integer, not \"" + s + "\"");
                args.set(i, new Exprs.Const(v));
            } else if (intParam[i] && f.intLiteral(i) && !(a instanceof Exprs.Const c && c.value instanceof Integer)) {
                // fixup_int_N: a number literal only, refused at load otherwise (Kamailio: "fixing failed")
                throw Cursor.error(argToks.get(i), "parameter " + (i + 1) + " of '" + n + "' must be an integer literal");
            } else if (intParam[i] && a instanceof Exprs.Format fmt && fmt.lonePv() != null) {
                // "$pv" for an int parameter: only an int value will do (get_int_fparam)
                args.set(i, new Exprs.IntPv(fmt.lonePv()));
            } else if (f.pvName(i) && (argToks.get(i).kind() == Token.Kind.STRING || argToks.get(i).kind() == Token.Kind.PV)) {
                // the function writes to that variable: it gets the name as written
                args.set(i, new Exprs.Const(argToks.get(i).text()));
            } else if (f.leadingPv(i) && a instanceof Exprs.Format fmt && fmt.leadingPv() != null) {
                args.set(i, fmt.leadingPv());
            }
        }
        Integer armed = ROUTE_ARMING.get(n);
        if (armed != null && args.size() == 1 && args.getFirst() instanceof Exprs.Const c) {
            String rn = Values.toStr(c.value);
            if (routes.find(armed, rn) == null) {
                String block = armed == RouteType.BRANCH_FAILURE ? "event_route[tm:branch-failure:" + rn + "]"
                        : RouteType.name(armed) + "[" + rn + "]";
                // Kamailio 5.6.3 starts with a warning and runs nothing there: so do we, kemi check shows it
                warnings.add(argToks.getFirst().where() + ": " + n + "(\"" + rn + "\"): " + block
                        + " is not defined (nothing runs there)");
            }
        }
        calls.get(current).add(new CallSite(f, name, end));
        return new Stmts.Call(f, name, args.toArray(new Expr[0]), intParam);
    }
}
