package dev.kemi.engine.cfg;

import dev.kemi.api.Pv;
import dev.kemi.api.PvProvider;
import dev.kemi.api.PvSpec;
import dev.kemi.api.PvSpecParser;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * Compiles expressions with Kamailio's operator precedence (cfg.y), its static type check of
 * constant operands, the condition keywords (method, uri, src_ip, myself ...) and pseudo-variables
 * resolved once through the {@link PvProvider}.
 */
final class ExprCompiler {
    /** Function and route calls inside expressions are compiled by the statement compiler. */
    interface Calls {
        Stmt call(Token name);

        Stmt routeCall(Token kw);
    }

    private enum Kw { STR, IP, INT, PROTO, AF }

    private record Keyword(String pv, Kw kind) {}

    private static final Map<String, Keyword> KEYWORDS = Map.ofEntries(
            Map.entry("method", new Keyword("$rm", Kw.STR)), Map.entry("uri", new Keyword("$ru", Kw.STR)),
            Map.entry("from_uri", new Keyword("$fu", Kw.STR)), Map.entry("to_uri", new Keyword("$tu", Kw.STR)),
            Map.entry("src_ip", new Keyword("$si", Kw.IP)), Map.entry("dst_ip", new Keyword("$Ri", Kw.IP)),
            Map.entry("src_port", new Keyword("$sp", Kw.INT)), Map.entry("dst_port", new Keyword("$Rp", Kw.INT)),
            Map.entry("proto", new Keyword("$pr", Kw.PROTO)), Map.entry("af", new Keyword("$af(id)", Kw.AF)),
            Map.entry("status", new Keyword("$rs", Kw.INT)), Map.entry("snd_ip", new Keyword("$snd(ip)", Kw.IP)),
            Map.entry("snd_port", new Keyword("$snd(port)", Kw.INT)), Map.entry("snd_proto", new Keyword("$snd(proto)", Kw.PROTO)),
            Map.entry("snd_af", new Keyword("$snd(af)", Kw.AF)), Map.entry("to_ip", new Keyword("$sndto(ip)", Kw.IP)),
            Map.entry("to_port", new Keyword("$sndto(port)", Kw.INT)), Map.entry("to_proto", new Keyword("$snd(proto)", Kw.PROTO)),
            Map.entry("to_af", new Keyword("$snd(af)", Kw.AF)));
    private static final Set<String> CONST_WORDS = Set.of("udp", "tcp", "tls", "sctp", "ws", "wss", "inet", "inet6");

    /**
     * Static types of expressions, checked as Kamailio's rve_check_type does at parse time:
     * mixing constant strings and integers is a cfg error ("10 == \"abc\"", "1 + \"2\"").
     */
    private enum Ty { INT, STR, NONE }

    private final Cursor in;
    private final PvProvider pvs;
    private final Calls calls;
    private final Map<Expr, Ty> types = new IdentityHashMap<>();
    private final Map<Expr, Token> starts = new IdentityHashMap<>();
    private final Map<Expr, Kw> keywordNodes = new IdentityHashMap<>();

    ExprCompiler(Cursor in, PvProvider pvs, Calls calls) {
        this.in = in;
        this.pvs = pvs;
        this.calls = calls;
    }

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
        throw Cursor.error(start(e), "bad expression: type mismatch: " + got.name().toLowerCase(Locale.ROOT)
                + " instead of " + want.name().toLowerCase(Locale.ROOT));
    }

    private Expr intOp(Exprs.IntOp.Op op, Expr a, Expr b) {
        need(a, Ty.INT);
        need(b, Ty.INT);
        return typed(new Exprs.IntOp(op, a, b), start(a), Ty.INT);
    }

    /** One expression, lowest precedence first. */
    Expr expr() {
        Expr e = and();
        while (in.accept("||") || in.acceptWord("or")) {
            Expr b = and();
            need(e, Ty.INT);
            need(b, Ty.INT);
            e = typed(new Exprs.Or(e, b), start(e), Ty.INT);
        }
        return e;
    }

    private Expr and() {
        Expr e = bor();
        while (in.accept("&&") || in.acceptWord("and")) {
            Expr b = bor();
            need(e, Ty.INT);
            need(b, Ty.INT);
            e = typed(new Exprs.And(e, b), start(e), Ty.INT);
        }
        return e;
    }

    private Expr bor() {
        Expr e = band();
        while (in.accept("|")) e = intOp(Exprs.IntOp.Op.BOR, e, band());
        return e;
    }

    private Expr band() {
        Expr e = bxor();
        while (in.accept("&")) e = intOp(Exprs.IntOp.Op.BAND, e, bxor());
        return e;
    }

    private Expr bxor() {
        Expr e = shl();
        while (in.accept("^")) e = intOp(Exprs.IntOp.Op.BXOR, e, shl());
        return e;
    }

    private Expr shl() {
        Expr e = shr();
        while (in.accept("<<")) e = intOp(Exprs.IntOp.Op.SHL, e, shr());
        return e;
    }

    private Expr shr() {
        Expr e = equality();
        while (in.accept(">>")) e = intOp(Exprs.IntOp.Op.SHR, e, equality());
        return e;
    }

    private Expr equality() {
        Expr left = relational();
        while (true) {
            Token op = in.peek();
            String o = op.text();
            boolean isOp = (op.kind() == Token.Kind.OP && (o.equals("==") || o.equals("!=") || o.equals("=~")))
                    || (op.kind() == Token.Kind.ID && (o.equals("eq") || o.equals("ne") || o.equals("ieq") || o.equals("ine")));
            if (!isOp) return left;
            in.next();
            boolean neg = o.equals("!=") || o.equals("ne") || o.equals("ine");
            boolean plainEq = o.equals("==") || o.equals("!=");
            Kw kw = keywordNodes.get(left);
            Token at = start(left);
            if (plainEq && in.peek().isId("myself")) {
                in.next();
                left = typed(new Exprs.Myself(left, neg), at, Ty.INT);
                continue;
            }
            if (plainEq && in.peek().kind() == Token.Kind.PV && in.peek().text().equals("$null")) {
                in.next();
                left = typed(new Exprs.Defined(left, !neg), at, Ty.INT);
                continue;
            }
            if (plainEq && kw == Kw.IP && in.peek().kind() == Token.Kind.ADDR) {
                left = typed(ipNet(left, neg), at, Ty.INT);
                continue;
            }
            Token rightTok = in.peek();
            Expr right = relational();
            switch (o) {
                case "==", "!=" -> {
                    compatible(left, right);
                    left = !neg && kw == null ? emptyTest(left, right) : compare(left, kw, right, rightTok, neg);
                }
                case "=~" -> {
                    compatible(left, right);
                    need(left, Ty.STR);
                    left = new Exprs.Match(left, right, constRegex(right, rightTok), rightTok.file() + ":" + rightTok.line() + ": =~");
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

    /**
     * Kamailio's optimizer turns {@code $v == ""} (either side) into {@code strempty($v)}, so an
     * int 0 is not equal to "" there (while {@code 0 != ""} stays an int comparison, also false).
     */
    private Expr emptyTest(Expr left, Expr right) {
        if (isEmptyString(right) && !left.constant()) return new Exprs.StrEmpty(left);
        if (isEmptyString(left) && !right.constant()) return new Exprs.StrEmpty(right);
        return new Exprs.Eq(left, right, false);
    }

    private static boolean isEmptyString(Expr e) {
        return e instanceof Exprs.Const c && "".equals(c.value);
    }

    private Expr compare(Expr left, Kw kw, Expr right, Token rightTok, boolean neg) {
        if (kw != null && right instanceof Exprs.Const c && c.value instanceof String s) {
            switch (kw) {
                case STR, PROTO -> {
                    return new Exprs.StrEq(left, right, neg, true);
                }
                case AF -> {
                    String l = s.toLowerCase(Locale.ROOT);
                    if (!l.equals("inet") && !l.equals("inet6")) throw Cursor.error(rightTok, "af can be compared with INET or INET6");
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
        Token a = in.next();
        byte[] ip = Exprs.ipBytes(a.text());
        if (ip == null) throw Cursor.error(a, "bad IP address " + a.text());
        int bits = ip.length * 8;
        if (in.peek().is("/")) {
            in.next();
            Token m = in.next();
            if (m.kind() == Token.Kind.INT) {
                bits = in.intValue(m);
            } else if (m.kind() == Token.Kind.ADDR && Exprs.ipBytes(m.text()) != null) {
                bits = 0;
                for (byte b : Exprs.ipBytes(m.text())) bits += Integer.bitCount(b & 0xff);
            } else {
                throw Cursor.error(m, "bad network mask " + m.text());
            }
            if (bits < 0 || bits > ip.length * 8) throw Cursor.error(m, "bad network mask " + m.text());
        }
        return new Exprs.IpMatch(left, ip, bits, neg);
    }

    private Pattern constRegex(Expr right, Token at) {
        if (!right.constant() || right instanceof Exprs.Null) return null;
        String re = Values.toStr(right.eval(null));
        try {
            return Values.regex(re);
        } catch (PatternSyntaxException e) {
            throw Cursor.error(at, "bad regular expression \"" + re + "\": " + e.getDescription());
        }
    }

    private Expr relational() {
        Expr e = additive();
        while (true) {
            Exprs.IntOp.Op op;
            if (in.peek().is(">")) op = Exprs.IntOp.Op.GT;
            else if (in.peek().is(">=")) op = Exprs.IntOp.Op.GE;
            else if (in.peek().is("<")) op = Exprs.IntOp.Op.LT;
            else if (in.peek().is("<=")) op = Exprs.IntOp.Op.LE;
            else return e;
            in.next();
            e = intOp(op, e, additive());
        }
    }

    private Expr additive() {
        Expr e = multiplicative();
        while (true) {
            if (in.accept("+")) {
                Expr b = multiplicative();
                compatible(e, b);
                e = typed(new Exprs.Plus(e, b), start(e), ty(e));
            } else if (in.accept("-")) {
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
            if (in.peek().is("*")) op = Exprs.IntOp.Op.MUL;
            else if (in.peek().is("/")) op = Exprs.IntOp.Op.DIV;
            else if (in.peek().isId("mod") || in.peek().is("%")) op = Exprs.IntOp.Op.MOD;
            else return e;
            in.next();
            e = intOp(op, e, unary());
        }
    }

    private Expr unary() {
        Token t = in.peek();
        if (in.accept("!") || in.acceptWord("not")) return typed(new Exprs.Not(intOperand()), t, Ty.INT);
        if (in.accept("~")) return typed(new Exprs.BitNot(intOperand()), t, Ty.INT);
        if (in.accept("-")) {
            Expr e = intOperand();
            return typed(e instanceof Exprs.Const c && c.value instanceof Integer i ? new Exprs.Const(-i) : new Exprs.Neg(e), t, Ty.INT);
        }
        if (t.isId("defined")) {
            in.next();
            Expr e = unary();
            need(e, Ty.STR);
            return typed(new Exprs.Defined(e, false), t, Ty.INT);
        }
        if (t.is("(") && in.peek(2).is(")") && (in.peek(1).isId("int") || in.peek(1).isId("str"))) {
            in.next();
            boolean toInt = in.next().text().equals("int");
            in.next();
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
        Token t = in.next();
        switch (t.kind()) {
            case INT -> {
                return typed(new Exprs.Const(in.intValue(t)), t, Ty.INT);
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
                    in.expect(")");
                    return typed(e, t, ty(e));
                }
                throw Cursor.error(t, "unexpected '" + t.text() + "' in expression");
            }
            case ID -> {
                return idExpr(t);
            }
            default -> throw Cursor.error(t, "expression expected");
        }
    }

    private Expr idExpr(Token t) {
        String w = t.text();
        switch (w) {
            case "strlen", "strempty" -> {
                in.expect("(");
                Expr e = expr();
                in.expect(")");
                need(e, Ty.STR);
                return typed(w.equals("strlen") ? new Exprs.StrLen(e) : new Exprs.StrEmpty(e), t, Ty.INT);
            }
            case "route" -> {
                return typed(new Exprs.CallValue(calls.routeCall(t)), t, Ty.INT);
            }
            case "myself" -> throw Cursor.error(t, "'myself' can only be compared with == or !=");
            case "msg" -> {
                if (in.peek().is(":") && in.peek(1).isId("len")) {
                    in.next();
                    in.next();
                    return keyword(t, new Keyword("$ml", Kw.INT));
                }
            }
            default -> { }
        }
        if (in.peek().is("(")) return typed(new Exprs.CallValue(calls.call(t)), t, Ty.INT);
        Keyword k = KEYWORDS.get(w);
        if (k != null) return keyword(t, k);
        if (CONST_WORDS.contains(w.toLowerCase(Locale.ROOT))) return typed(new Exprs.Const(w), t, Ty.STR);
        throw Cursor.error(t, "unexpected identifier '" + w + "' in expression");
    }

    private Expr keyword(Token t, Keyword k) {
        Pv pv;
        try {
            pv = pvs.resolve(PvSpec.parse(k.pv()));
        } catch (IllegalArgumentException e) {
            throw Cursor.error(t, "keyword '" + t.text() + "' is not supported here (it reads " + k.pv() + "): " + e.getMessage());
        }
        Expr e = new Exprs.PvRead(pv, t.file() + ":" + t.line() + ": " + t.text());
        keywordNodes.put(e, k.kind());
        return typed(e, t, Ty.NONE);
    }

    private Expr pvExpr(Token t) {
        String s = t.text();
        if (s.equals("$null")) return new Exprs.Null();
        if (s.equals("$rc") || s.equals("$retcode") || s.equals("$?")) return new Exprs.Rc();
        return new Exprs.PvRead(resolve(t, s), t.file() + ":" + t.line() + ": " + s);
    }

    /** The writable PV of an assignment's left side; null for $null/$rc. */
    Pv pv(Token t) {
        String s = t.text();
        if (s.equals("$null") || s.equals("$rc") || s.equals("$retcode") || s.equals("$?")) return null;
        return resolve(t, s);
    }

    private Pv resolve(Token t, String text) {
        try {
            return pvs.resolve(PvSpec.parse(text));
        } catch (IllegalArgumentException e) {
            throw Cursor.error(t, "unknown pseudo-variable " + text + ": " + e.getMessage());
        }
    }

    /** A string literal function parameter: constant, or a format with pseudo-variables. */
    Expr format(Token t) {
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
            if (s.startsWith("$$", i) || s.startsWith("$($)", i)) {
                lit.append('$'); // pv_parse_spec's marker: "$$" (or "$($)") prints one '$'
                i += s.charAt(i + 1) == '$' ? 2 : 4;
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
}
