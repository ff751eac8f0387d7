package dev.kemi.runtime.compare;

import dev.kemi.api.FunctionTable;
import dev.kemi.engine.lint.KemiLint;
import dev.kemi.engine.lint.LintFinding;
import dev.kemi.runtime.transport.ListenSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays every scenario against every side and compares each side with the first (the baseline).
 * A single side is compared only with real Kamailio ({@link #judge}).
 */
public final class CompareSession {
    private final ProxyFactory factory;
    private final Explainer explainer;
    private final Map<Integer, List<LintFinding>> lint = new HashMap<>();
    private final Map<Integer, List<ListenSocket>> sockets = new HashMap<>();

    /** @param factory starts in-process proxies; may be null when every side is a real address */
    public CompareSession(ProxyFactory factory, Explainer explainer) {
        this.factory = factory;
        this.explainer = explainer;
    }

    /** Plays every scenario on every side (side by side), then compares. */
    public CompareReport run(List<ConfigSide> sides, List<Scenario> scenarios) {
        if (sides.isEmpty()) throw new IllegalArgumentException("compare needs a configuration");
        List<List<Outcome>> bySide = new ArrayList<>();
        for (int i = 0; i < sides.size(); i++) bySide.add(playAll(i, sides.get(i), scenarios));
        return assemble(sides, scenarios, bySide);
    }

    /** A scenario played on one side: its result, or why it could not run. */
    public record Outcome(ScenarioResult result, String error) {}

    /**
     * Plays every scenario on one side. Separate from {@link #run} so that sides which cannot run
     * at the same time (two real proxies on one address, started one after the other) can be
     * played in turn and compared with {@link #assemble}.
     */
    public List<Outcome> playAll(int index, ConfigSide side, List<Scenario> scenarios) {
        List<Outcome> out = new ArrayList<>();
        for (Scenario sc : scenarios) {
            try {
                out.add(new Outcome(play(index, side, sc), null));
            } catch (Exception e) {
                out.add(new Outcome(null, side.label() + ": " + (e.getMessage() != null ? e.getMessage() : e.toString())));
            }
        }
        return out;
    }

    /** Compares each side's outcomes with the first side's, scenario by scenario. */
    public CompareReport assemble(List<ConfigSide> sides, List<Scenario> scenarios, List<List<Outcome>> bySide) {
        List<ScenarioComparison> out = new ArrayList<>();
        for (int s = 0; s < scenarios.size(); s++) {
            Scenario sc = scenarios.get(s);
            List<ScenarioResult> results = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            for (List<Outcome> side : bySide) {
                results.add(side.get(s).result());
                if (side.get(s).error() != null) errors.add(side.get(s).error());
            }
            List<ScenarioComparison.SideComparison> comparisons = new ArrayList<>();
            ScenarioResult base = results.get(0);
            for (int i = 1; i < sides.size(); i++) {
                ScenarioResult r = results.get(i);
                if (base == null || r == null) continue;
                Divergence d = TraceComparer.compare(base, r);
                List<Explanation> why = d == null ? List.of() : explainer.explain(new ExplainContext(sc, d,
                        new SideRun(sides.get(0), base, lint.getOrDefault(0, List.of())),
                        new SideRun(sides.get(i), r, lint.getOrDefault(i, List.of()))));
                comparisons.add(new ScenarioComparison.SideComparison(i, d, why));
            }
            out.add(new ScenarioComparison(sc, results, comparisons, errors));
        }
        return new CompareReport(List.copyOf(sides), out);
    }

    /**
     * Real Kamailio plays every scenario on each cfg side's own cfg, and each of our runs is
     * compared with it: where they differ, our prediction (and so its verdict) is wrong.
     */
    public CompareReport judge(KamailioOracle oracle, CompareReport report) {
        List<OracleCheck> checks = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        List<Scenario> scenarios = report.scenarios().stream().map(ScenarioComparison::scenario).toList();
        for (int i = 0; i < report.sides().size(); i++) {
            ConfigSide side = report.sides().get(i);
            if (side.real() != null) continue;
            List<Outcome> theirs;
            try {
                theirs = oracle.play(side, sockets.getOrDefault(i, List.of()), scenarios);
            } catch (Exception e) {
                refused.add(side.label() + ": " + (e.getMessage() != null ? e.getMessage() : e.toString()));
                continue;
            }
            for (int s = 0; s < scenarios.size(); s++) {
                ScenarioResult ours = report.scenarios().get(s).results().get(i);
                ScenarioResult k = theirs.get(s).result();
                String why = ours == null ? "we could not run it" : k == null ? "kamailio could not run it: " + theirs.get(s).error()
                        : ours.failure() != null ? "ours stopped: " + ours.failure()
                        : k.failure() != null ? "kamailio stopped: " + k.failure() : null;
                Divergence d = ours == null || k == null ? null : TraceComparer.compare(ours, k);
                checks.add(new OracleCheck(s, i, k, d, d == null ? why : null));
            }
        }
        return report.withOracle(checks, refused.isEmpty() ? null : String.join("; ", refused));
    }

    /** Plays one scenario on one side; exposed for tests and for single runs. */
    public ScenarioResult play(int index, ConfigSide side, Scenario sc) throws Exception {
        if (side.real() != null) {
            try (RealDriver d = new RealDriver(side.real())) {
                return ScenarioRunner.run(sc, d, side.label());
            }
        }
        if (factory == null) throw new IllegalStateException("no in-process proxy available (ProxyFactory not wired)");
        try (VirtualDriver d = new VirtualDriver(factory, side.cfg())) {
            ScenarioResult r = ScenarioRunner.run(sc, d, side.label());
            if (d.proxy() != null) sockets.putIfAbsent(index, d.proxy().sockets());
            if (!lint.containsKey(index)) lint.put(index, lint(side, d.proxy() == null ? null : d.proxy().functions()));
            return r;
        }
    }

    private static List<LintFinding> lint(ConfigSide side, FunctionTable table) {
        if (table == null || !side.engine().kemi() || side.script() == null) return List.of();
        try {
            // callbacks "" : missing-callback warnings say nothing about a divergence
            return new KemiLint(table, "", "").lint(side.script());
        } catch (Exception e) {
            return List.of();
        }
    }
}
