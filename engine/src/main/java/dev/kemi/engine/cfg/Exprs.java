package dev.kemi.engine.cfg;

import dev.kemi.api.Pv;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/** The expression node types. Everything name-based was resolved when the cfg was compiled. */
final class Exprs {
    private Exprs() {}

    static final class Const extends Expr {
        final Object value;

        Const(Object value) {
            this.value = value;
        }

        @Override Object eval(Run r) { return value; }

        @Override boolean constant() { return true; }
    }

    /** {@code $null}. */
    static final class Null extends Expr {
        @Override Object eval(Run r) { return null; }

        @Override boolean constant() { return true; }
    }

    static final class PvRead extends Expr {
        final Pv pv;
        /** file:line and the PV as written, for the log. */
        final String where;

        PvRead(Pv pv, String where) {
            this.pv = pv;
            this.where = where;
        }

        @Override
        Object eval(Run r) {
            try {
                return pv.get(r.ctx);
            } catch (RuntimeException e) {
                // a value that cannot be had (e.g. an unparsable header) reads as undefined
                EvalFailures.handled(where, "cannot read the pseudo-variable, it reads as undefined", e);
                return null;
            }
        }

        /** In a format: a value that cannot be had prints nothing, as pv_printf skips it. */
        String printed(Run r) {
            try {
                Object v = pv.get(r.ctx);
                return v == null ? "<null>" : v.toString();
            } catch (RuntimeException e) {
                EvalFailures.handled(where, "cannot read the pseudo-variable, it prints nothing", e);
                return "";
            }
        }
    }

    /** $rc, $retcode, $?: the last function or route return code. */
    static final class Rc extends Expr {
        @Override Object eval(Run r) { return r.rc; }
    }

    /** A string parameter with pseudo-variables, expanded at call time ("$ru from $si"). */
    static final class Format extends Expr {
        private final String[] texts; // texts[i] precedes parts[i]; one more text at the end
        private final Expr[] parts;

        Format(String[] texts, Expr[] parts) {
            this.texts = texts;
            this.parts = parts;
        }

        /** The first pseudo-variable when the format starts with one ("$var(x) rest"), else null. */
        Expr leadingPv() {
            return texts[0].isEmpty() ? parts[0] : null;
        }

        /** The pseudo-variable when the whole format is one ("$var(x)"), else null. */
        Expr lonePv() {
            return parts.length == 1 && texts[0].isEmpty() && texts[1].isEmpty() ? parts[0] : null;
        }

        @Override
        Object eval(Run r) {
            StringBuilder b = new StringBuilder(64);
            for (int i = 0; i < parts.length; i++) {
                b.append(texts[i]);
                if (parts[i] instanceof PvRead p) {
                    b.append(p.printed(r));
                    continue;
                }
                Object v = parts[i].eval(r);
                b.append(v == null ? "<null>" : v.toString());
            }
            return b.append(texts[parts.length]).toString();
        }
    }

    /**
     * An int function parameter given as "$pv": Kamailio's get_int_fparam takes the value only
     * when it is an integer, else the parameter fails ({@link EvalFailure#NOT_INT}).
     */
    static final class IntPv extends Expr {
        private final Expr pv;

        IntPv(Expr pv) {
            this.pv = pv;
        }

        @Override
        Object eval(Run r) {
            if (pv.eval(r) instanceof Integer i) return i;
            throw EvalFailure.NOT_INT;
        }
    }

    /** A function call inside an expression: true (1) when it returned > 0. */
    static final class CallValue extends Expr {
        final Stmt call;

        CallValue(Stmt call) {
            this.call = call;
        }

        @Override
        Object eval(Run r) {
            int ret = call.exec(r);
            r.flags &= ~(Run.RETURN | Run.BREAK);
            return ret > 0 ? 1 : 0;
        }
    }

    /** A call as the whole right side of an assignment: its return code, not a boolean. */
    static final class CallCode extends Expr {
        final Stmt call;

        CallCode(Stmt call) {
            this.call = call;
        }

        @Override
        Object eval(Run r) {
            int ret = call.exec(r);
            r.flags &= ~(Run.RETURN | Run.BREAK);
            return ret;
        }
    }

    static final class Not extends Expr {
        final Expr e;

        Not(Expr e) { this.e = e; }

        @Override Object eval(Run r) { return e.evalInt(r) == 0 ? 1 : 0; }
    }

    static final class Neg extends Expr {
        final Expr e;

        Neg(Expr e) { this.e = e; }

        @Override Object eval(Run r) { return -e.evalInt(r); }
    }

    static final class BitNot extends Expr {
        final Expr e;

        BitNot(Expr e) { this.e = e; }

        @Override Object eval(Run r) { return ~e.evalInt(r); }
    }

    static final class IntCast extends Expr {
        final Expr e;

        IntCast(Expr e) { this.e = e; }

        @Override Object eval(Run r) { return e.evalInt(r); }
    }

    static final class StrCast extends Expr {
        final Expr e;

        StrCast(Expr e) { this.e = e; }

        @Override Object eval(Run r) { return e.evalStr(r); }
    }

    static final class StrLen extends Expr {
        final Expr e;

        StrLen(Expr e) { this.e = e; }

        @Override Object eval(Run r) { return e.evalStr(r).length(); }
    }

    static final class StrEmpty extends Expr {
        final Expr e;

        StrEmpty(Expr e) { this.e = e; }

        @Override Object eval(Run r) { return e.evalStr(r).isEmpty() ? 1 : 0; }
    }

    /** {@code defined x}; also {@code x != $null} (and negated for {@code x == $null}). */
    static final class Defined extends Expr {
        final Expr e;
        final boolean negate;

        Defined(Expr e, boolean negate) {
            this.e = e;
            this.negate = negate;
        }

        @Override Object eval(Run r) { return (e.eval(r) != null) != negate ? 1 : 0; }
    }

    /** Integer operators: arithmetic, bitwise, relational. */
    static final class IntOp extends Expr {
        enum Op { MINUS, MUL, DIV, MOD, BOR, BAND, BXOR, SHL, SHR, GT, GE, LT, LE, IEQ, INE }

        final Op op;
        final Expr a;
        final Expr b;

        IntOp(Op op, Expr a, Expr b) {
            this.op = op;
            this.a = a;
            this.b = b;
        }

        @Override
        Object eval(Run r) {
            int x = a.evalInt(r);
            int y = b.evalInt(r);
            return switch (op) {
                case MINUS -> x - y;
                case MUL -> x * y;
                case DIV -> {
                    if (y == 0) throw EvalFailure.INSTANCE;
                    yield x / y;
                }
                case MOD -> {
                    if (y == 0) throw EvalFailure.INSTANCE;
                    yield x % y;
                }
                case BOR -> x | y;
                case BAND -> x & y;
                case BXOR -> x ^ y;
                case SHL -> x << y;
                case SHR -> x >> y;
                case GT -> x > y ? 1 : 0;
                case GE -> x >= y ? 1 : 0;
                case LT -> x < y ? 1 : 0;
                case LE -> x <= y ? 1 : 0;
                case IEQ -> x == y ? 1 : 0;
                case INE -> x != y ? 1 : 0;
            };
        }
    }

    /** {@code +}: integer sum, or concatenation when the left value is a string. */
    static final class Plus extends Expr {
        final Expr a;
        final Expr b;

        Plus(Expr a, Expr b) {
            this.a = a;
            this.b = b;
        }

        @Override
        Object eval(Run r) {
            Object x = a.eval(r);
            if (x instanceof String s) return s.concat(b.evalStr(r));
            return Values.toInt(x) + b.evalInt(r);
        }
    }

    /** {@code == / !=}: the right value is converted to the left one's type. */
    static final class Eq extends Expr {
        final Expr a;
        final Expr b;
        final boolean negate;

        Eq(Expr a, Expr b, boolean negate) {
            this.a = a;
            this.b = b;
            this.negate = negate;
        }

        @Override
        Object eval(Run r) {
            Object x = a.eval(r);
            Object y = b.eval(r);
            boolean eq;
            if (x instanceof Integer i) eq = i == Values.toInt(y);
            else if (x == null && y instanceof Integer j) eq = j == 0;
            else eq = Values.toStr(x).equals(Values.toStr(y));
            return eq != negate ? 1 : 0;
        }
    }

    /** {@code eq / ne}, and keyword comparisons (method == "invite" ignores case, as Kamailio). */
    static final class StrEq extends Expr {
        final Expr a;
        final Expr b;
        final boolean negate;
        final boolean ignoreCase;

        StrEq(Expr a, Expr b, boolean negate, boolean ignoreCase) {
            this.a = a;
            this.b = b;
            this.negate = negate;
            this.ignoreCase = ignoreCase;
        }

        @Override
        Object eval(Run r) {
            String x = a.evalStr(r);
            String y = b.evalStr(r);
            boolean eq = ignoreCase ? x.equalsIgnoreCase(y) : x.equals(y);
            return eq != negate ? 1 : 0;
        }
    }

    /** {@code =~}: POSIX ERE, case-insensitive, matching anywhere in the string. */
    static final class Match extends Expr {
        final Expr a;
        final Expr b;
        final Pattern constant;
        private record Compiled(String source, Pattern pattern) {}

        private volatile Compiled last; // for a dynamic regex: the last one compiled
        /** file:line of the match, for the log. */
        final String where;

        Match(Expr a, Expr b, Pattern constant, String where) {
            this.a = a;
            this.b = b;
            this.constant = constant;
            this.where = where;
        }

        @Override
        Object eval(Run r) {
            String s = a.evalStr(r);
            Pattern p = constant;
            if (p == null) {
                String re = b.evalStr(r);
                Compiled c = last;
                if (c == null || !c.source.equals(re)) {
                    try {
                        c = new Compiled(re, Values.regex(re));
                    } catch (PatternSyntaxException e) {
                        EvalFailures.handled(where, "bad regular expression '" + re + "', no match", e);
                        return 0;
                    }
                    last = c;
                }
                p = c.pattern;
            }
            return p.matcher(s).find() ? 1 : 0;
        }
    }

    static final class And extends Expr {
        final Expr a;
        final Expr b;

        And(Expr a, Expr b) {
            this.a = a;
            this.b = b;
        }

        @Override Object eval(Run r) { return a.evalInt(r) != 0 && b.evalInt(r) != 0 ? 1 : 0; }
    }

    static final class Or extends Expr {
        final Expr a;
        final Expr b;

        Or(Expr a, Expr b) {
            this.a = a;
            this.b = b;
        }

        @Override Object eval(Run r) { return a.evalInt(r) != 0 || b.evalInt(r) != 0 ? 1 : 0; }
    }

    /** {@code x == myself}: Kamailio's check_self, URIs without port meaning 5060/5061. */
    static final class Myself extends Expr {
        final Expr a;
        final boolean negate;

        Myself(Expr a, boolean negate) {
            this.a = a;
            this.negate = negate;
        }

        @Override
        Object eval(Run r) {
            Object v = a.eval(r);
            boolean me = v != null && r.ctx.isMyself(Values.toStr(v), true);
            return me != negate ? 1 : 0;
        }
    }

    /** {@code src_ip == 10.0.0.0/8}: address or network match. */
    static final class IpMatch extends Expr {
        final Expr a;
        final byte[] net;
        final int bits;
        final boolean negate;

        IpMatch(Expr a, byte[] net, int bits, boolean negate) {
            this.a = a;
            this.net = net;
            this.bits = bits;
            this.negate = negate;
        }

        @Override
        Object eval(Run r) {
            byte[] ip = ipBytes(a.evalStr(r));
            boolean in = ip != null && ip.length == net.length && sameNet(ip, net, bits);
            return in != negate ? 1 : 0;
        }

        private static boolean sameNet(byte[] x, byte[] y, int bits) {
            for (int i = 0; i < x.length && bits > 0; i++, bits -= 8) {
                int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
                if ((x[i] & mask) != (y[i] & mask)) return false;
            }
            return true;
        }
    }

    /** {@code af == INET|INET6}; the value may read "4"/"6", "INET"/"INET6" or "ipv4"/"ipv6". */
    static final class AfEq extends Expr {
        final Expr a;
        final boolean v6;
        final boolean negate;

        AfEq(Expr a, boolean v6, boolean negate) {
            this.a = a;
            this.v6 = v6;
            this.negate = negate;
        }

        @Override
        Object eval(Run r) {
            String v = a.evalStr(r).toLowerCase(Locale.ROOT);
            boolean is6 = v.equals("6") || v.equals("inet6") || v.equals("ipv6") || v.equals("10");
            return (is6 == v6) != negate ? 1 : 0;
        }
    }

    /** An IP literal (v4 dotted or v6, brackets allowed) as bytes; null for anything else. */
    static byte[] ipBytes(String s) {
        if (s.startsWith("[") && s.endsWith("]")) s = s.substring(1, s.length() - 1);
        if (s.indexOf(':') < 0) return ipv4(s);
        if (!s.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)) return null;
        try {
            return InetAddress.getByName(s).getAddress(); // contains ':': parsed as a literal, never looked up
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Dotted IPv4, parsed here so that nothing ever reaches the resolver. */
    private static byte[] ipv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) return null;
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) return null;
            int v = Integer.parseInt(p);
            if (v > 255) return null;
            out[i] = (byte) v;
        }
        return out;
    }
}
