package dev.kemi.runtime.compare;

import java.util.List;

/**
 * One scenario across all sides.
 *
 * @param results     one per side, baseline first (null where the side could not run)
 * @param comparisons each other side against the baseline
 * @param errors      sides that could not run the scenario, with why
 */
public record ScenarioComparison(Scenario scenario, List<ScenarioResult> results, List<SideComparison> comparisons, List<String> errors) {
    public boolean identical() {
        return errors.isEmpty() && comparisons.stream().allMatch(c -> c.divergence() == null);
    }

    /**
     * @param side        index into the sides (1.. for non-baseline)
     * @param divergence  null when identical to the baseline
     * @param explanations known pitfalls matching the divergence
     */
    public record SideComparison(int side, Divergence divergence, List<Explanation> explanations) {}
}
