package dev.kemi.runtime.compare;

import java.util.List;

/** Everything `kemi compare` found: sides (baseline first) and one comparison per scenario. */
public record CompareReport(List<ConfigSide> sides, List<ScenarioComparison> scenarios) {
    /** Every scenario ran to its end on every side, and all behaved the same. */
    public static final int IDENTICAL = 0;
    /** At least one scenario shows a difference. */
    public static final int DIFFERENT = 1;
    /** No difference found, but some scenario could not be compared (or a usage error). */
    public static final int ERROR = 2;

    public int exitCode() {
        if (count(ScenarioComparison.Verdict.DIFFERENT) > 0) return DIFFERENT;
        return count(ScenarioComparison.Verdict.NOT_EXERCISED) > 0 ? ERROR : IDENTICAL;
    }

    public long count(ScenarioComparison.Verdict v) {
        return scenarios.stream().filter(s -> s.verdict() == v).count();
    }

    /** "3 identical, 1 different, 2 not exercised". */
    public String summary() {
        return count(ScenarioComparison.Verdict.IDENTICAL) + " identical, " + count(ScenarioComparison.Verdict.DIFFERENT) + " different, "
                + count(ScenarioComparison.Verdict.NOT_EXERCISED) + " not exercised";
    }
}
