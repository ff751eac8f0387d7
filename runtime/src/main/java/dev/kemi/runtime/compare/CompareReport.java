package dev.kemi.runtime.compare;

import java.util.List;

/**
 * Everything `kemi compare` found: sides (baseline first), one comparison per scenario, and where
 * real Kamailio judged our predictions (the oracle), its checks or why it did not run.
 *
 * @param oracle     one check per cfg side and scenario; empty when the oracle did not run
 * @param oracleNote why the oracle did not run, or null
 */
public record CompareReport(List<ConfigSide> sides, List<ScenarioComparison> scenarios, List<OracleCheck> oracle, String oracleNote) {
    public CompareReport(List<ConfigSide> sides, List<ScenarioComparison> scenarios) {
        this(sides, scenarios, List.of(), null);
    }

    public CompareReport withOracle(List<OracleCheck> checks, String note) {
        return new CompareReport(sides, scenarios, List.copyOf(checks), note);
    }

    /** Every scenario ran to its end on every side, and all behaved the same. */
    public static final int IDENTICAL = 0;
    /** At least one scenario shows a difference. */
    public static final int DIFFERENT = 1;
    /** No difference found, but some scenario could not be compared (or a usage error). */
    public static final int ERROR = 2;

    public int exitCode() {
        // a wrong prediction is a difference too: the verdicts above cannot be trusted for it
        if (count(ScenarioComparison.Verdict.DIFFERENT) > 0 || oracleDisagreements() > 0) return DIFFERENT;
        return count(ScenarioComparison.Verdict.NOT_EXERCISED) > 0 ? ERROR : IDENTICAL;
    }

    public long count(ScenarioComparison.Verdict v) {
        return scenarios.stream().filter(s -> s.verdict() == v).count();
    }

    public long oracleDisagreements() {
        return oracle.stream().filter(c -> c.divergence() != null).count();
    }

    /** "3 identical, 1 different, 2 not exercised", then the oracle's counts. */
    public String summary() {
        // one side has nothing to be identical to: it only played, and Kamailio judges it
        String s = sides.size() == 1
                ? count(ScenarioComparison.Verdict.IDENTICAL) + " played to their end, " + count(ScenarioComparison.Verdict.NOT_EXERCISED) + " not exercised"
                : count(ScenarioComparison.Verdict.IDENTICAL) + " identical, " + count(ScenarioComparison.Verdict.DIFFERENT) + " different, "
                        + count(ScenarioComparison.Verdict.NOT_EXERCISED) + " not exercised";
        if (!oracle.isEmpty()) {
            long agree = oracle.stream().filter(OracleCheck::agrees).count();
            s += "; Kamailio as oracle: " + agree + " agree, " + oracleDisagreements() + " differ, "
                    + (oracle.size() - agree - oracleDisagreements()) + " not exercised";
        } else if (oracleNote != null) {
            s += "; Kamailio as oracle: not run (" + oracleNote + ")";
        }
        return s;
    }
}
