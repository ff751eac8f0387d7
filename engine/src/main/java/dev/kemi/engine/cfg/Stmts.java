package dev.kemi.engine.cfg;

import dev.kemi.api.KemiFunction;
import dev.kemi.api.Pv;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The action node types, with Kamailio's run_actions/do_action semantics. */
final class Stmts {
    private static final Logger LOG = LoggerFactory.getLogger(NativeScript.class);
    private static final Object[] NO_ARGS = new Object[0];

    private Stmts() {}

    /** A module function call. A result of 0 stops the script (MODF_HANDLE_RETCODE). */
    static final class Call extends Stmt {
        final KemiFunction f;
        final Token at;
        private final Expr[] args;
        private final boolean[] intParam;
        private final Object[] constArgs; // all arguments constant: built once

        Call(KemiFunction f, Token at, Expr[] args, boolean[] intParam) {
            this.f = f;
            this.at = at;
            this.args = args;
            this.intParam = intParam;
            boolean allConst = true;
            for (Expr e : args) allConst &= e.constant();
            this.constArgs = args.length == 0 ? NO_ARGS : allConst ? values(null) : null;
        }

        private Object[] values(Run r) {
            Object[] v = new Object[args.length];
            for (int i = 0; i < args.length; i++) v[i] = intParam[i] ? (Object) intArg(r, i) : args[i].evalStr(r);
            return v;
        }

        /** An int argument; a pseudo-variable without an int value takes the function's fallback if it has one. */
        private int intArg(Run r, int i) {
            try {
                return args[i].evalInt(r);
            } catch (EvalFailure e) {
                Integer dflt = f.intFallback(i);
                if (e != EvalFailure.NOT_INT || dflt == null) throw e;
                LOG.error("{}: {}: parameter {}: {}, using {}", at.where(), at.text(), i + 1, e.getMessage(), dflt);
                return dflt;
            }
        }

        @Override
        Token at() { return at; }

        @Override
        int actionType() { return Math.min(24 + args.length, 31); } // MODULE0_T .. MODULEX_T

        @Override
        String actionName() { return at.text(); }

        @Override
        int exec(Run r) {
            int ret;
            try {
                ret = Values.code(f.invoke(r.ctx, constArgs != null ? constArgs : values(r)));
            } catch (EvalFailure e) {
                LOG.error("{}: {}: bad parameter: {}", at.where(), at.text(), e.getMessage());
                ret = -1;
            } catch (RuntimeException e) {
                EvalFailures.failed(LOG, at.where(), at.text(), e);
                ret = -1;
            }
            if (ret == 0) r.flags |= Run.EXIT;
            r.rc = ret;
            return ret;
        }
    }

    /** route(NAME) to a block known at load time. */
    static final class RouteCall extends Stmt {
        final Route route;
        final Token at;

        RouteCall(Route route, Token at) {
            this.route = route;
            this.at = at;
        }

        @Override
        Token at() { return at; }

        @Override
        int actionType() { return 5; } // ROUTE_T

        @Override
        String actionName() { return "route"; }

        @Override
        int exec(Run r) {
            return finish(r, inRoute(r, route));
        }

        /** Runs a sub-route with its name as the current block (cfgtrace). */
        static int inRoute(Run r, Route route) {
            String outer = r.route;
            r.route = route.block.name();
            try {
                return Stmt.runList(r, route.body);
            } finally {
                r.route = outer;
            }
        }

        /** Absorbs return/break; return(0) in a sub-route ends the script, like exit. */
        static int finish(Run r, int ret) {
            if (ret == 0 && (r.flags & Run.RETURN) != 0) r.flags |= Run.EXIT;
            r.flags &= ~(Run.RETURN | Run.BREAK);
            r.rc = ret;
            return ret;
        }
    }

    /** route($var(x)): the name is looked up when run; unknown = -1, as Kamailio's E_SCRIPT. */
    static final class DynRouteCall extends Stmt {
        final Expr name;
        final Map<String, Route> subs;
        final Token at;

        DynRouteCall(Expr name, Map<String, Route> subs, Token at) {
            this.name = name;
            this.subs = subs;
            this.at = at;
        }

        @Override
        Token at() { return at; }

        @Override
        int actionType() { return 5; } // ROUTE_T

        @Override
        String actionName() { return "route"; }

        @Override
        int exec(Run r) {
            String n = name.evalStr(r);
            Route route = subs.get(n);
            if (route == null) {
                LOG.error("{}: route \"{}\" not found", at.where(), n);
                return -1;
            }
            return RouteCall.finish(r, RouteCall.inRoute(r, route));
        }
    }

    static final class Assign extends Stmt {
        final Pv pv;
        final Expr value;
        final Token at;

        Assign(Pv pv, Expr value, Token at) {
            this.pv = pv;
            this.value = value;
            this.at = at;
        }

        @Override
        Token at() { return at; }

        @Override
        int actionType() { return 63; } // ASSIGN_T

        @Override
        String actionName() { return "assign"; }

        @Override
        int exec(Run r) {
            try {
                pv.set(r.ctx, value.eval(r));
            } catch (RuntimeException e) {
                EvalFailures.failed(LOG, at.where(), "assignment to " + at.text(), e);
                return -1;
            }
            return 1;
        }
    }

    /** Evaluates a condition; a failed evaluation is false (and logged), as in Kamailio. */
    static int condition(Expr e, Run r, Token at) {
        try {
            return e.evalInt(r);
        } catch (EvalFailure f) {
            LOG.error("{}: {}", at.where(), f.getMessage());
            return 0;
        }
    }

    static final class If extends Stmt {
        final Expr cond;
        final Stmt[] then;
        final Stmt[] otherwise; // null if none
        final Token at;

        If(Expr cond, Stmt[] then, Stmt[] otherwise, Token at) {
            this.cond = cond;
            this.then = then;
            this.otherwise = otherwise;
            this.at = at;
        }

        @Override
        Token at() { return at; }

        @Override
        int actionType() { return 16; } // IF_T

        @Override
        String actionName() { return "if"; }

        @Override
        int exec(Run r) {
            int v = condition(cond, r, at);
            if ((r.flags & Run.EXIT) != 0) return 0; // a function returned 0 in the condition
            r.flags &= ~(Run.RETURN | Run.BREAK);
            if (v > 0) return Stmt.runList(r, then);
            return otherwise == null ? 1 : Stmt.runList(r, otherwise);
        }
    }

    /**
     * switch: the cases' actions form one list and a case label is an entry point into it, so a
     * case without break falls through to the next, as in Kamailio (and C).
     */
    static final class Switch extends Stmt {
        final Expr value;
        final boolean strings;
        final Object[] labels; // Integer or String
        final int[] entries;
        final int defaultEntry; // -1 if no default
        final Stmt[] body;
        final Token at;

        Switch(Expr value, boolean strings, Object[] labels, int[] entries, int defaultEntry, Stmt[] body, Token at) {
            this.at = at;
            this.value = value;
            this.strings = strings;
            this.labels = labels;
            this.entries = entries;
            this.defaultEntry = defaultEntry;
            this.body = body;
        }

        @Override
        Token at() { return at; }

        @Override
        int actionType() { return 20; } // SWITCH_JT_T

        @Override
        String actionName() { return "switch"; }

        @Override
        int exec(Run r) {
            Object v;
            try {
                v = strings ? value.evalStr(r) : (Object) value.evalInt(r);
            } catch (EvalFailure f) {
                LOG.error("{}: {}", at.where(), f.getMessage());
                v = null; // no case matches: default
            }
            if ((r.flags & Run.EXIT) != 0) return 0;
            r.flags &= ~(Run.RETURN | Run.BREAK);
            int start = defaultEntry;
            for (int i = 0; i < labels.length; i++) {
                if (labels[i].equals(v)) {
                    start = entries[i];
                    break;
                }
            }
            if (start < 0) return 1;
            int ret = 1;
            for (int i = start; i < body.length; i++) {
                ret = body[i].exec(r);
                if ((r.flags & (Run.BREAK | Run.RETURN | Run.EXIT)) != 0) break;
            }
            r.flags &= ~Run.BREAK;
            return ret;
        }
    }

    static final class While extends Stmt {
        final Expr cond;
        final Stmt[] body;
        final Token at;

        While(Expr cond, Stmt[] body, Token at) {
            this.cond = cond;
            this.body = body;
            this.at = at;
        }

        @Override
        Token at() { return at; }

        @Override
        int actionType() { return 23; } // WHILE_T

        @Override
        String actionName() { return "while"; }

        @Override
        int exec(Run r) {
            int max = r.limits.maxWhileLoops();
            int loops = 0;
            int seen = 0;
            int ret = 1;
            while ((seen & (Run.BREAK | Run.RETURN | Run.EXIT)) == 0 && condition(cond, r, at) != 0) {
                if (max > 0 && ++loops > max) {
                    LOG.error("{}: runaway while: more than {} loops", at.where(), max);
                    return -1;
                }
                ret = Stmt.runList(r, body);
                seen |= r.flags;
                r.flags &= ~Run.BREAK;
            }
            return ret;
        }
    }

    /** return / exit / drop / break: sets the flag and yields the code. */
    static final class Flow extends Stmt {
        final int flag;
        final Expr value; // null = default code
        final int defaultCode;
        final boolean drop;

        final Token at;

        Flow(int flag, Expr value, int defaultCode, boolean drop, Token at) {
            this.at = at;
            this.flag = flag;
            this.value = value;
            this.defaultCode = defaultCode;
            this.drop = drop;
        }

        @Override
        Token at() { return at; }

        @Override
        int actionType() { return 2; } // DROP_T: exit, return, drop, break

        @Override
        String actionName() { return at.text(); }

        @Override
        int exec(Run r) {
            int ret = value == null ? defaultCode : condition(value, r, at);
            if (drop) r.ctx.setDrop();
            r.flags |= flag;
            return ret;
        }
    }

    /** A braced block inside a block; break ends it, return passes through. */
    static final class Block extends Stmt {
        final Stmt[] body;

        Block(Stmt[] body) {
            this.body = body;
        }

        @Override
        int exec(Run r) {
            int ret = Stmt.runList(r, body);
            r.flags &= ~Run.BREAK;
            return ret;
        }
    }
}
