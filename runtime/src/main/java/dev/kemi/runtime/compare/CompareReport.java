package dev.kemi.runtime.compare;

import java.util.List;

/** Everything `kemi compare` found: sides (baseline first) and one comparison per scenario. */
public record CompareReport(List<ConfigSide> sides, List<ScenarioComparison> scenarios) {
    public static final int IDENTICAL = 0;
    public static final int DIFFERENT = 1;
    public static final int ERROR = 2;

    public int exitCode() {
        if (scenarios.stream().anyMatch(s -> !s.errors().isEmpty())) return ERROR;
        return scenarios.stream().allMatch(ScenarioComparison::identical) ? IDENTICAL : DIFFERENT;
    }
}
