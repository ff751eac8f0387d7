package dev.kemi.runtime.compare;

import java.util.List;

/** Plain-text report: one line per scenario, details and both ladders for divergences. */
final class TextReport {
    private TextReport() {}

    static String render(CompareReport r) {
        StringBuilder b = new StringBuilder();
        List<ConfigSide> sides = r.sides();
        b.append("kemi compare: ").append(sides.size()).append(" configurations, ").append(r.scenarios().size()).append(" scenarios\n");
        for (int i = 0; i < sides.size(); i++) {
            b.append("  [").append(ReportFormat.letter(i)).append("] ").append(ReportFormat.describe(sides.get(i)))
                    .append(i == 0 ? "  (baseline)" : "").append('\n');
        }
        b.append('\n');
        for (ScenarioComparison sc : r.scenarios()) {
            String name = sc.scenario().name();
            if (sc.verdict() == ScenarioComparison.Verdict.IDENTICAL) {
                b.append(name).append(sides.size() == 1 ? ": played to its end\n" : ": identical\n");
                continue;
            }
            if (sc.verdict() == ScenarioComparison.Verdict.NOT_EXERCISED) {
                // behaving alike up to where a scenario stopped is no evidence of equal behaviour
                b.append(name).append(": not exercised\n");
                for (String why : sc.notExercised()) b.append("  ").append(why).append('\n');
                continue;
            }
            for (ScenarioComparison.SideComparison c : sc.comparisons()) {
                if (c.divergence() == null) {
                    b.append(name).append(": ").append(ReportFormat.letter(c.side())).append(" identical to A\n");
                    continue;
                }
                divergence(b, sc, c, sides);
            }
        }
        oracle(b, r);
        b.append('\n').append(r.summary()).append(" (exit ").append(r.exitCode()).append(")\n");
        return b.toString();
    }

    /** Where real Kamailio, running the same cfg, sent something else than we predicted. */
    private static void oracle(StringBuilder b, CompareReport r) {
        if (r.oracle().isEmpty() && r.oracleNote() == null) return;
        b.append("\nKamailio as oracle (the same scenarios on real Kamailio running each cfg):\n");
        if (r.oracleNote() != null) b.append("  not run: ").append(r.oracleNote()).append('\n');
        for (OracleCheck c : r.oracle()) {
            ScenarioComparison sc = r.scenarios().get(c.scenario());
            String at = sc.scenario().name() + " [" + ReportFormat.letter(c.side()) + "]";
            if (c.agrees()) {
                b.append("  ").append(at).append(": kamailio agrees\n");
            } else if (c.divergence() == null) {
                b.append("  ").append(at).append(": not exercised: ").append(c.notExercised()).append('\n');
            } else {
                Divergence d = c.divergence();
                ScenarioResult ours = sc.results().get(c.side());
                b.append("  ").append(at).append(": our prediction differs from kamailio at proxy message ").append(d.index() + 1).append('\n');
                b.append("    ours:     ").append(ReportFormat.arrowAt(ours, d.eventA())).append('\n');
                b.append("    kamailio: ").append(ReportFormat.arrowAt(c.kamailio(), d.eventB())).append('\n');
                for (String l : LineDiff.unified(d.diff(), 1)) b.append("    ").append(l).append('\n');
            }
        }
    }

    private static void divergence(StringBuilder b, ScenarioComparison sc, ScenarioComparison.SideComparison c, List<ConfigSide> sides) {
        Divergence d = c.divergence();
        ScenarioResult ra = sc.results().get(0);
        ScenarioResult rb = sc.results().get(c.side());
        String lb = ReportFormat.letter(c.side());
        b.append(sc.scenario().name()).append(": ").append(lb).append(" differs from A at proxy message ").append(d.index() + 1).append('\n');
        b.append("  A: ").append(ReportFormat.arrowAt(ra, d.eventA())).append('\n');
        b.append("  ").append(lb).append(": ").append(ReportFormat.arrowAt(rb, d.eventB())).append('\n');
        b.append("  --- A ").append(sides.get(0).label()).append('\n');
        b.append("  +++ ").append(lb).append(' ').append(sides.get(c.side()).label()).append('\n');
        for (String l : LineDiff.unified(d.diff(), 2)) b.append("  ").append(l).append('\n');
        for (Explanation e : c.explanations()) b.append("  why (").append(e.rule()).append("): ").append(e.message()).append('\n');
        for (ScenarioResult res : List.of(ra, rb)) {
            if (res.failure() != null) b.append("  ").append(res.side()).append(": scenario stopped: ").append(res.failure()).append('\n');
        }
        ladders(b, ra.trace().ladder(), rb.trace().ladder(), d.eventA(), d.eventB(), lb);
        b.append('\n');
    }

    private static void ladders(StringBuilder b, List<String> a, List<String> l, int ea, int eb, String lb) {
        int width = Math.max(20, a.stream().mapToInt(String::length).max().orElse(0) + 3);
        b.append("  ladder A").append(" ".repeat(Math.max(1, width - 6))).append("ladder ").append(lb).append('\n');
        for (int i = 0; i < Math.max(a.size(), l.size()); i++) {
            String left = (i == ea ? ">>" : "  ") + (i < a.size() ? a.get(i) : "");
            String right = (i == eb ? ">>" : "  ") + (i < l.size() ? l.get(i) : "");
            b.append("  ").append(left).append(" ".repeat(Math.max(1, width + 2 - left.length()))).append(right).append('\n');
        }
    }
}
