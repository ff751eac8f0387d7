package dev.kemi.runtime.compare;

import java.util.ArrayList;
import java.util.List;

/**
 * One scenario across all sides.
 *
 * @param results     one per side, baseline first (null where the side could not run)
 * @param comparisons each other side against the baseline
 * @param errors      sides that could not run the scenario, with why
 */
public record ScenarioComparison(Scenario scenario, List<ScenarioResult> results, List<SideComparison> comparisons, List<String> errors) {
    /** What a scenario shows: sides that behaved alike only count when they all ran it to its end. */
    public enum Verdict { IDENTICAL, DIFFERENT, NOT_EXERCISED }

    public Verdict verdict() {
        if (comparisons.stream().anyMatch(c -> c.divergence() != null)) return Verdict.DIFFERENT;
        return notExercised().isEmpty() ? Verdict.IDENTICAL : Verdict.NOT_EXERCISED;
    }

    public boolean identical() {
        return verdict() == Verdict.IDENTICAL;
    }

    /** Why the scenario was not played to its end: per side, what stopped it (empty when every side finished). */
    public List<String> notExercised() {
        List<String> why = new ArrayList<>(errors);
        for (ScenarioResult r : results) {
            if (r != null && r.failure() != null) why.add(r.side() + ": " + r.failure());
        }
        return why;
    }

    /**
     * @param side        index into the sides (1.. for non-baseline)
     * @param divergence  null when identical to the baseline
     * @param explanations known pitfalls matching the divergence
     */
    public record SideComparison(int side, Divergence divergence, List<Explanation> explanations) {}
}
