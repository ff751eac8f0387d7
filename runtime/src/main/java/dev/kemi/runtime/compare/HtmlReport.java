package dev.kemi.runtime.compare;

import java.util.List;

/** Self-contained HTML report: summary table, then per divergence side-by-side SVG ladders and highlighted lines. */
final class HtmlReport {
    private static final String CSS = """
            body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
            table.summary{border-collapse:collapse}table.summary td,table.summary th{border:1px solid #ccc;padding:3px 8px}
            .ok{color:#1a7f37}.bad{color:#b42318;font-weight:bold}.err{color:#b42318}
            section.div{border-top:2px solid #ddd;margin-top:2em}
            .cols{display:flex;gap:2em;align-items:flex-start;flex-wrap:wrap}.col{flex:1 1 0;min-width:30em;overflow-x:auto}
            pre{background:#f6f8fa;padding:.6em;font-size:12px;overflow-x:auto}
            pre .del{background:#ffd7d5;display:block}pre .add{background:#ccffd8;display:block}
            ul.why li{margin:.3em 0}ul.why{background:#fff8c5;padding:.6em 2em}
            svg.ladder{font:12px monospace}svg .who{font-weight:bold}svg .life{stroke:#999;stroke-dasharray:2 3}
            svg .ev line{stroke:#333}svg .ev text{fill:#222}svg .t{fill:#888!important}
            svg .div line{stroke:#d1242f;stroke-width:2.5}svg .div text{fill:#d1242f!important;font-weight:bold}
            svg .after{opacity:.45}svg .lost line{stroke:#9a6700}svg .void line{stroke:#8250df}svg .note{fill:#b42318!important}
            """;

    private HtmlReport() {}

    static String render(CompareReport r) {
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>kemi compare</title><style>")
                .append(CSS).append("</style></head><body>\n<h1>kemi compare</h1>\n<ul>");
        List<ConfigSide> sides = r.sides();
        for (int i = 0; i < sides.size(); i++) {
            b.append("<li><b>").append(ReportFormat.letter(i)).append("</b> ").append(Html.esc(ReportFormat.describe(sides.get(i))))
                    .append(i == 0 ? " — baseline" : "").append("</li>");
        }
        b.append("</ul>\n<table class=\"summary\"><tr><th>scenario</th>");
        for (int i = 1; i < sides.size(); i++) b.append("<th>").append(ReportFormat.letter(i)).append(" vs A</th>");
        b.append("</tr>\n");
        for (ScenarioComparison sc : r.scenarios()) summaryRow(b, sc, sides.size());
        b.append("</table>\n");
        for (ScenarioComparison sc : r.scenarios()) {
            for (ScenarioComparison.SideComparison c : sc.comparisons()) {
                if (c.divergence() != null) section(b, sc, c, sides);
            }
        }
        b.append("<p>").append(Html.esc(r.summary())).append(", exit code ").append(r.exitCode()).append("</p>\n</body></html>\n");
        return b.toString();
    }

    private static void summaryRow(StringBuilder b, ScenarioComparison sc, int sides) {
        b.append("<tr><td>").append(Html.esc(sc.scenario().name())).append("</td>");
        if (sc.verdict() == ScenarioComparison.Verdict.NOT_EXERCISED) {
            b.append("<td colspan=\"").append(sides - 1).append("\" class=\"err\">not exercised: ")
                    .append(Html.esc(String.join("; ", sc.notExercised()))).append("</td></tr>\n");
            return;
        }
        for (ScenarioComparison.SideComparison c : sc.comparisons()) {
            if (c.divergence() == null) {
                b.append("<td class=\"ok\">identical</td>");
            } else {
                b.append("<td class=\"bad\"><a href=\"#").append(anchor(sc, c)).append("\">differs at message ")
                        .append(c.divergence().index() + 1).append("</a></td>");
            }
        }
        b.append("</tr>\n");
    }

    private static String anchor(ScenarioComparison sc, ScenarioComparison.SideComparison c) {
        return sc.scenario().name().replaceAll("[^A-Za-z0-9_-]", "_") + "-" + ReportFormat.letter(c.side());
    }

    private static void section(StringBuilder b, ScenarioComparison sc, ScenarioComparison.SideComparison c, List<ConfigSide> sides) {
        Divergence d = c.divergence();
        ScenarioResult ra = sc.results().get(0);
        ScenarioResult rb = sc.results().get(c.side());
        String lb = ReportFormat.letter(c.side());
        b.append("<section class=\"div\" id=\"").append(anchor(sc, c)).append("\"><h2>").append(Html.esc(sc.scenario().name()))
                .append(": ").append(lb).append(" differs from A at proxy message ").append(d.index() + 1).append("</h2>\n");
        if (!sc.scenario().description().isEmpty()) b.append("<p>").append(Html.esc(sc.scenario().description())).append("</p>");
        b.append("<p class=\"summary-line\">A: <code>").append(Html.esc(ReportFormat.arrowAt(ra, d.eventA()))).append("</code> &nbsp; ")
                .append(lb).append(": <code>").append(Html.esc(ReportFormat.arrowAt(rb, d.eventB()))).append("</code></p>\n");
        if (!c.explanations().isEmpty()) {
            b.append("<ul class=\"why\">");
            for (Explanation e : c.explanations()) {
                b.append("<li><b>").append(Html.esc(e.rule())).append("</b>: ").append(Html.esc(e.message())).append("</li>");
            }
            b.append("</ul>\n");
        }
        b.append("<pre class=\"diff\">");
        for (String l : LineDiff.unified(d.diff(), 2)) {
            String cls = l.startsWith("-") ? "del" : l.startsWith("+") ? "add" : null;
            b.append(cls == null ? "" : "<span class=\"" + cls + "\">").append(Html.esc(l)).append(cls == null ? "\n" : "</span>");
        }
        b.append("</pre>\n<div class=\"cols\">");
        column(b, "A " + sides.get(0).label(), sc.scenario(), ra, d.eventA(), d.diff(), LineDiff.Op.DEL);
        column(b, lb + " " + sides.get(c.side()).label(), sc.scenario(), rb, d.eventB(), d.diff(), LineDiff.Op.ADD);
        b.append("</div></section>\n");
    }

    private static void column(StringBuilder b, String title, Scenario sc, ScenarioResult r, int event, List<LineDiff.Line> diff, LineDiff.Op mine) {
        b.append("<div class=\"col\"><h3>").append(Html.esc(title)).append("</h3>");
        if (r.failure() != null) b.append("<p class=\"err\">scenario stopped: ").append(Html.esc(r.failure())).append("</p>");
        b.append(Ladder.svg(sc, r.trace(), event));
        b.append("<pre class=\"msg\">");
        if (event < 0) b.append("(sent nothing further)");
        for (LineDiff.Line l : diff) {
            if (l.op() == LineDiff.Op.SAME) b.append(Html.esc(l.text())).append('\n');
            else if (l.op() == mine) b.append("<span class=\"").append(mine == LineDiff.Op.DEL ? "del" : "add").append("\">")
                    .append(Html.esc(l.text())).append("</span>");
        }
        b.append("</pre></div>");
    }
}
