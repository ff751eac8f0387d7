package dev.kemi.runtime.compare;

import dev.kemi.engine.lint.LintFinding;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A KEMI script tests an INT result as a boolean (`if not KSR.siputils.has_totag():`): -1 is
 * truthy in Python/JS, so the branch the native cfg takes is not the one KEMI takes (§2, §6.1.2).
 * Uses the lint's findings when the function table is known, else a pattern over the exports
 * whose declarations say they may return a negative int.
 */
final class IntAsBoolRule implements ExplainRule {
    /** KSR.module.name of the exports that may return a negative int, from their declarations. */
    private static final class NegativeInts {
        static final Set<String> NAMES = names();

        private static Set<String> names() {
            Set<String> out = new java.util.HashSet<>();
            for (dev.kemi.api.KemiFunction f : dev.kemi.runtime.modules.ModuleTable.ofAllModules().all()) {
                if (f.inKemi() && f.mayReturnNegative()) out.add(f.qualifiedName());
            }
            return Set.copyOf(out);
        }
    }
    private static final Pattern TESTED = Pattern.compile(
            "(?:\\bif|\\belif|\\bwhile|\\bnot|!|&&|\\|\\||\\band|\\bor)\\s*\\(?\\s*KSR\\.(\\w+)\\.(\\w+)\\s*\\([^()]*\\)\\s*(?::|\\)|&&|\\|\\||\\band\\b|\\bor\\b)");

    @Override
    public List<Explanation> explain(ExplainContext ctx) {
        List<Explanation> out = new ArrayList<>();
        for (SideRun s : List.of(ctx.a(), ctx.b())) {
            if (!s.side().engine().kemi()) continue;
            String lang = s.side().engine() == ConfigSide.Engine.PYTHON ? "Python" : "JavaScript";
            String after = ZeroReturnRule.trigger(ctx, s);
            for (Finding f : findings(s)) {
                out.add(new Explanation("int-as-bool", "`" + f.function + "()` returns an int used as a boolean at "
                        + s.side().at(f.line) + ": -1 is truthy in " + lang + ", native cfg treats < 0 as false, so the two take different branches"
                        + after + "; compare with > 0"));
            }
        }
        return out;
    }

    private record Finding(int line, String function) {}

    private static List<Finding> findings(SideRun s) {
        List<Finding> out = new ArrayList<>();
        List<String> lines = s.side().scriptText().lines().toList();
        for (LintFinding f : s.lint()) {
            if (!f.message().contains("used as a boolean")) continue;
            int paren = f.message().indexOf("()");
            out.add(new Finding(f.line(), paren > 0 ? f.message().substring(0, paren) : "?"));
        }
        if (!out.isEmpty() || !s.lint().isEmpty()) return out;
        for (ScriptLines.Hit h : ScriptLines.find(s.side().scriptText(), TESTED)) {
            Matcher m = TESTED.matcher(lines.get(h.line() - 1));
            while (m.find()) {
                String name = "KSR." + m.group(1) + "." + m.group(2);
                if (NegativeInts.NAMES.contains(name)) out.add(new Finding(h.line(), name));
            }
        }
        return out;
    }
}
