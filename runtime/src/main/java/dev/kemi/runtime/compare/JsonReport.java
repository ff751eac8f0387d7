package dev.kemi.runtime.compare;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;

/** Machine-readable report. */
final class JsonReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {}

    static String render(CompareReport r) {
        ObjectNode root = JSON.createObjectNode();
        root.put("exitCode", r.exitCode());
        root.put("identical", r.count(ScenarioComparison.Verdict.IDENTICAL));
        root.put("different", r.count(ScenarioComparison.Verdict.DIFFERENT));
        root.put("notExercised", r.count(ScenarioComparison.Verdict.NOT_EXERCISED));
        ArrayNode sides = root.putArray("sides");
        for (int i = 0; i < r.sides().size(); i++) {
            ConfigSide s = r.sides().get(i);
            ObjectNode n = sides.addObject();
            n.put("id", ReportFormat.letter(i));
            n.put("label", s.label());
            n.put("engine", s.engine().name().toLowerCase());
            if (s.cfg() != null) n.put("cfg", s.cfg().toString());
            if (s.script() != null) n.put("script", s.script().toString());
            if (s.real() != null) n.put("real", s.real().getHostString() + ":" + s.real().getPort());
        }
        ArrayNode scenarios = root.putArray("scenarios");
        for (ScenarioComparison sc : r.scenarios()) {
            ObjectNode n = scenarios.addObject();
            n.put("name", sc.scenario().name());
            n.put("file", sc.scenario().file());
            n.put("verdict", sc.verdict().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
            ArrayNode errors = n.putArray("notExercised");
            sc.notExercised().forEach(errors::add);
            ArrayNode runs = n.putArray("runs");
            for (ScenarioResult res : sc.results()) {
                if (res == null) continue;
                ObjectNode run = runs.addObject();
                run.put("side", res.side());
                if (res.failure() != null) run.put("failure", res.failure());
                ArrayNode ladder = run.putArray("ladder");
                res.trace().ladder().forEach(ladder::add);
            }
            ArrayNode comps = n.putArray("comparisons");
            for (ScenarioComparison.SideComparison c : sc.comparisons()) {
                ObjectNode cn = comps.addObject();
                cn.put("side", ReportFormat.letter(c.side()));
                cn.put("against", "A");
                cn.put("identical", c.divergence() == null);
                if (c.divergence() == null) continue;
                Divergence d = c.divergence();
                ObjectNode dn = cn.putObject("divergence");
                dn.put("message", d.index() + 1);
                dn.put("a", ReportFormat.arrowAt(sc.results().get(0), d.eventA()));
                dn.put("b", ReportFormat.arrowAt(sc.results().get(c.side()), d.eventB()));
                ArrayNode diff = dn.putArray("diff");
                for (String l : LineDiff.unified(d.diff(), 2)) diff.add(l);
                ArrayNode why = cn.putArray("explanations");
                for (Explanation e : c.explanations()) why.addObject().put("rule", e.rule()).put("message", e.message());
            }
        }
        ObjectNode oracle = root.putObject("oracle");
        if (r.oracleNote() != null) oracle.put("notRun", r.oracleNote());
        ArrayNode checks = oracle.putArray("checks");
        for (OracleCheck c : r.oracle()) {
            ObjectNode n = checks.addObject();
            n.put("scenario", r.scenarios().get(c.scenario()).scenario().name());
            n.put("side", ReportFormat.letter(c.side()));
            n.put("verdict", c.agrees() ? "agrees" : c.divergence() != null ? "differs" : "not exercised");
            if (c.notExercised() != null) n.put("why", c.notExercised());
            if (c.kamailio() != null) {
                ArrayNode ladder = n.putArray("kamailioLadder");
                c.kamailio().trace().ladder().forEach(ladder::add);
            }
            if (c.divergence() != null) {
                ArrayNode diff = n.putArray("diff");
                for (String l : LineDiff.unified(c.divergence().diff(), 1)) diff.add(l);
            }
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
