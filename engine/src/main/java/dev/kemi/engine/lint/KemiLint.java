package dev.kemi.engine.lint;

import dev.kemi.api.FunctionTable;
import dev.kemi.api.KemiFunction;
import dev.kemi.api.KemiType;
import dev.kemi.api.Pv;
import dev.kemi.api.PvProvider;
import dev.kemi.api.PvSpec;
import dev.kemi.engine.lint.LintFinding.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Static checks of a KEMI script against the function table, for the pitfalls that make a KEMI
 * script behave differently from the native cfg it was ported from (reference §1-2, §6.1):
 * unknown functions, wrong argument counts/types, INT results used as booleans, results of
 * functions that may return 0 left untested, missing callbacks. What a function may return
 * comes from its declaration ({@link dev.kemi.api.Export#returns}).
 */
public final class KemiLint {
    private static final Set<String> COMPARISONS = Set.of("==", "!=", "===", "!==", "<", ">", "<=", ">=", "is", "in");
    private static final Set<String> ARMING = Set.of("t_on_failure", "t_on_branch", "t_on_reply", "t_on_branch_failure");
    private static final String SUPPRESS = "kemi-lint: ignore";

    /** KSR.pv functions whose first argument is a PV name, and those that write it. */
    private static final Set<String> PV_NAMED = Set.of("get", "getw", "gete", "geti", "getvn", "getvs", "seti", "sets", "unset", "is_null");
    private static final Set<String> PV_WRITES = Set.of("seti", "sets", "unset");

    private final FunctionTable table;
    private final PvProvider pvs;
    private final String onsendCallback;
    private final String replyCallback;

    /**
     * @param onsendCallback value of kemi.onsend_route_callback ("" or "none" = disabled)
     * @param replyCallback  value of kemi.reply_route_callback
     */
    public KemiLint(FunctionTable table, String onsendCallback, String replyCallback) {
        this(table, null, onsendCallback, replyCallback);
    }

    /** @param pvs resolves PV names given as literals to KSR.pv.* (null: not checked) */
    public KemiLint(FunctionTable table, PvProvider pvs, String onsendCallback, String replyCallback) {
        this.table = table;
        this.pvs = pvs;
        this.onsendCallback = onsendCallback;
        this.replyCallback = replyCallback;
    }

    public List<LintFinding> lint(Path script) throws IOException {
        String src = Files.readString(script);
        boolean python = script.getFileName().toString().endsWith(".py");
        return new Run(script.toString(), src, python).findings();
    }

    private final class Run {
        final String file;
        final boolean python;
        final List<Token> t;
        final List<String> lines;
        final List<LintFinding> out = new ArrayList<>();
        final Set<String> defined = new HashSet<>();

        Run(String file, String src, boolean python) {
            this.file = file;
            this.python = python;
            this.t = ScriptTokenizer.tokenize(src, python);
            this.lines = src.lines().toList();
        }

        List<LintFinding> findings() {
            collectDefinitions();
            for (int i = 0; i + 3 < t.size(); i++) {
                if (t.get(i).is("KSR") && t.get(i + 1).is(".") && (i == 0 || !t.get(i - 1).is("."))) call(i);
            }
            checkCallbacks();
            out.removeIf(f -> f.line() <= lines.size() && lines.get(f.line() - 1).contains(SUPPRESS));
            return out;
        }

        private void collectDefinitions() {
            for (int i = 0; i + 1 < t.size(); i++) {
                Token a = t.get(i);
                Token b = t.get(i + 1);
                if (b.kind() != Token.Kind.IDENT) {
                    if (!python && a.kind() == Token.Kind.IDENT && b.is("=")) defined.add(a.text());
                    continue;
                }
                if (python ? a.is("def") : a.is("function")) defined.add(b.text());
            }
        }

        /** t[i] is KSR: KSR.fn( or KSR.mod.fn( */
        private void call(int i) {
            String module;
            int nameAt;
            if (t.get(i + 3).is(".") && i + 5 < t.size()) {
                module = t.get(i + 2).text();
                nameAt = i + 4;
            } else {
                module = "";
                nameAt = i + 2;
            }
            Token name = t.get(nameAt);
            if (name.kind() != Token.Kind.IDENT || nameAt + 1 >= t.size() || !t.get(nameAt + 1).is("(")) return;
            int close = matching(nameAt + 1);
            List<List<Token>> args = arguments(nameAt + 1, close);
            Token at = t.get(i);
            if (module.equals("x")) {
                engineX(at, name.text());
                return;
            }
            String qualified = module.isEmpty() ? "KSR." + name.text() : "KSR." + module + "." + name.text();
            KemiFunction f = table.kemi(module, name.text());
            if (f == null) {
                unknown(at, module, name.text(), qualified);
                return;
            }
            arguments(at, f, qualified, args);
            if (module.equals("pv") && PV_NAMED.contains(name.text())) pvName(qualified, name.text(), args);
            boolean boolContext = booleanContext(i, close);
            if (f.mayReturnNegative() && boolContext) {
                add(at, Severity.WARNING, qualified + "() returns an int used as a boolean: -1 is truthy in "
                        + (python ? "Python" : "JavaScript") + " (native cfg treats <0 as false); compare with > 0");
            }
            if (f.mayReturnZero()) zeroResult(i, close, at, qualified, boolContext);
            if (module.equals("tm") && ARMING.contains(name.text()) && args.size() == 1 && args.get(0).size() == 1
                    && args.get(0).get(0).kind() == Token.Kind.STRING) {
                String cb = args.get(0).get(0).text();
                if (!cb.isEmpty() && !defined.contains(cb)) {
                    add(at, Severity.WARNING, "callback '" + cb + "' armed by " + qualified
                            + "() is not defined in this script: the route will be silently skipped");
                }
            }
        }

        /** A literal PV name must resolve, as it would at parse time in native cfg; a written one must be writable. */
        private void pvName(String qualified, String fn, List<List<Token>> args) {
            if (pvs == null || args.isEmpty() || args.get(0).size() != 1 || args.get(0).get(0).kind() != Token.Kind.STRING) return;
            Token lit = args.get(0).get(0);
            Pv pv;
            try {
                pv = pvs.resolve(PvSpec.parse(lit.text()));
            } catch (IllegalArgumentException e) {
                add(lit, Severity.ERROR, qualified + "(): invalid pseudo-variable \"" + lit.text() + "\": " + e.getMessage()
                        + " (Kamailio logs an error and the call fails at run time)");
                return;
            }
            if (PV_WRITES.contains(fn) && !pv.writable()) {
                add(lit, Severity.ERROR, qualified + "(): \"" + lit.text() + "\" is read-only: the call fails at run time");
            }
        }

        private void engineX(Token at, String fn) {
            if (python && (fn.equals("exit") || fn.equals("drop"))) {
                add(at, Severity.ERROR, "KSR.x." + fn + "() does not exist in Python (Kamailio's app_python3 has only KSR.x.modf): "
                        + (fn.equals("exit") ? "use sys.exit() or return" : "use KSR.set_drop() and return"));
            } else if (python && fn.equals("modf")) {
                add(at, Severity.WARNING, "KSR.x.modf() crashes Kamailio's app_python3 (issue #4314); call the KSR function directly");
            } else if (!python && !Set.of("exit", "drop", "modf").contains(fn)) {
                add(at, Severity.ERROR, "KSR.x." + fn + "() does not exist (KSR.x has exit, drop, modf)");
            }
        }

        private void unknown(Token at, String module, String fn, String qualified) {
            Map<String, KemiFunction> mod = table.kemiModules().get(module);
            if (mod == null) {
                add(at, Severity.ERROR, qualified + "(): module '" + module + "' is not loaded or not provided");
                return;
            }
            String best = null;
            int bestDistance = Integer.MAX_VALUE;
            for (String candidate : mod.keySet()) {
                int d = distance(fn, candidate);
                if (d < bestDistance) {
                    bestDistance = d;
                    best = candidate;
                }
            }
            String hint = best != null && bestDistance <= Math.max(3, fn.length() / 3)
                    ? " (did you mean " + (module.isEmpty() ? "KSR." : "KSR." + module + ".") + best + "?)" : "";
            add(at, Severity.ERROR, qualified + "() does not exist" + hint
                    + (python ? ": AttributeError at run time" : ": TypeError at run time"));
        }

        private void arguments(Token at, KemiFunction f, String qualified, List<List<Token>> args) {
            int want = f.params().size();
            int got = args.size();
            if (got != want) {
                String effect;
                if (python) {
                    effect = want == 0 ? "extra arguments are ignored" : "TypeError at run time, the route aborts";
                } else if (want == 0) {
                    effect = "the call returns false without running";
                } else if (got == 0) {
                    effect = "the call returns false";
                } else if (got < want) {
                    effect = "RangeError at run time";
                } else {
                    effect = "extra arguments are ignored";
                }
                add(at, want == 0 || got > want ? Severity.WARNING : Severity.ERROR,
                        qualified + "() takes " + want + " argument" + (want == 1 ? "" : "s") + ", given " + got + ": " + effect);
                return;
            }
            for (int k = 0; k < want; k++) {
                List<Token> a = args.get(k);
                if (a.size() != 1 && !(a.size() == 2 && a.get(0).is("-"))) continue;
                Token v = a.get(a.size() - 1);
                KemiType p = f.params().get(k);
                boolean mismatch = p == KemiType.INT && v.kind() == Token.Kind.STRING
                        || p == KemiType.STR && v.kind() == Token.Kind.NUMBER;
                if (!mismatch) continue;
                if (python) {
                    add(v, Severity.ERROR, qualified + "() argument " + (k + 1) + " must be " + (p == KemiType.INT ? "an int" : "a str")
                            + ": TypeError at run time (app_python3 does not convert)");
                } else {
                    add(v, Severity.WARNING, qualified + "() argument " + (k + 1) + " is converted to " + (p == KemiType.INT ? "an int" : "a string")
                            + " (JavaScript KEMI coerces; Python would raise TypeError)");
                }
            }
        }

        private void zeroResult(int start, int close, Token at, String qualified, boolean boolContext) {
            String why = qualified + "() may return 0" + (qualified.startsWith("KSR.tm.") ? " (retransmission or absorbed ACK)" : "")
                    + ": native cfg exits there, KEMI goes on";
            if (boolContext) {
                add(at, Severity.WARNING, why + "; test it with == 0 and return");
                return;
            }
            if (statementStart(start) && statementEnd(close) && !nextStatementLeaves(close)) {
                add(at, Severity.WARNING, why + "; its result is ignored here");
            }
        }

        private boolean booleanContext(int start, int close) {
            Token before = start > 0 ? t.get(start - 1) : null;
            Token after = close + 1 < t.size() ? t.get(close + 1) : null;
            if (after != null && COMPARISONS.contains(after.text()) && after.kind() != Token.Kind.STRING) return false;
            if (after != null && (after.is("+") || after.is("-") || after.is("*") || after.is("/"))) return false;
            if (before == null) return false;
            if (python) {
                return before.is("if") || before.is("elif") || before.is("while") || before.is("not")
                        || before.is("and") || before.is("or") || after != null && (after.is("and") || after.is("or"));
            }
            if (before.is("!") || before.is("&&") || before.is("||")) return true;
            if (after != null && (after.is("&&") || after.is("||") || after.is("?"))) return true;
            return before.is("(") && start >= 2 && (t.get(start - 2).is("if") || t.get(start - 2).is("while"))
                    && after != null && after.is(")");
        }

        private boolean statementStart(int i) {
            if (i == 0) return true;
            Token b = t.get(i - 1);
            return b.kind() == Token.Kind.NEWLINE || b.is(";") || b.is("{") || b.is("}") || b.is(":");
        }

        private boolean statementEnd(int close) {
            Token a = close + 1 < t.size() ? t.get(close + 1) : null;
            return a == null || a.kind() == Token.Kind.NEWLINE || a.is(";") || a.is("}");
        }

        private boolean nextStatementLeaves(int close) {
            int j = close + 1;
            while (j < t.size() && (t.get(j).kind() == Token.Kind.NEWLINE || t.get(j).is(";"))) j++;
            if (j >= t.size()) return false;
            Token n = t.get(j);
            if (n.is("return") || n.is("exit")) return true;
            return j + 2 < t.size() && (n.is("sys") && t.get(j + 2).is("exit")
                    || n.is("KSR") && t.get(j + 2).is("x") && j + 4 < t.size() && (t.get(j + 4).is("exit") || t.get(j + 4).is("drop")));
        }

        private void checkCallbacks() {
            Token top = new Token(Token.Kind.NEWLINE, "", 1, 1);
            if (!defined.contains("ksr_request_route")) {
                add(top, Severity.WARNING, "no ksr_request_route: Kamailio logs an error for every request");
            }
            if (!python) return;
            if (!defined.contains("mod_init")) {
                add(top, Severity.ERROR, "no mod_init(): app_python3 cannot start without it");
            }
            if (enabled(replyCallback) && !defined.contains(replyCallback)) {
                add(top, Severity.WARNING, "no " + replyCallback + ": Kamailio 5.6 leaves a pending AttributeError per reply "
                        + "(define it, or set kemi.reply_route_callback=\"none\")");
            }
            if (enabled(onsendCallback) && !defined.contains(onsendCallback)) {
                add(top, Severity.WARNING, "no " + onsendCallback + ": Kamailio 5.6 logs an AttributeError per relayed message "
                        + "(define it, or set kemi.onsend_route_callback=\"\")");
            }
        }

        private boolean enabled(String cb) {
            return cb != null && !cb.isEmpty() && !cb.equals("none");
        }

        private int matching(int open) {
            int depth = 0;
            for (int j = open; j < t.size(); j++) {
                Token k = t.get(j);
                if (k.is("(") || k.is("[") || k.is("{")) depth++;
                else if (k.is(")") || k.is("]") || k.is("}")) {
                    if (--depth == 0) return j;
                }
            }
            return t.size() - 1;
        }

        private List<List<Token>> arguments(int open, int close) {
            List<List<Token>> args = new ArrayList<>();
            List<Token> cur = new ArrayList<>();
            int depth = 0;
            for (int j = open + 1; j < close; j++) {
                Token k = t.get(j);
                if (k.kind() == Token.Kind.NEWLINE) continue;
                if (k.is("(") || k.is("[") || k.is("{")) depth++;
                if (k.is(")") || k.is("]") || k.is("}")) depth--;
                if (depth == 0 && k.is(",")) {
                    args.add(cur);
                    cur = new ArrayList<>();
                } else {
                    cur.add(k);
                }
            }
            if (!cur.isEmpty() || !args.isEmpty()) args.add(cur);
            return args;
        }

        private void add(Token at, Severity s, String message) {
            out.add(new LintFinding(file, at.line(), at.column(), s, message));
        }
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] tmp = prev;
            prev = cur;
            cur = tmp;
        }
        return prev[b.length()];
    }
}
