package dev.kemi.runtime.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** remove_hf's result tested in a condition: native -1 when nothing was removed, KEMI 1 (§6.1.9). */
final class RemoveHfRule implements ExplainRule {
    private static final Pattern NATIVE = Pattern.compile("(?:\\bif|\\bwhile|!|&&|\\|\\|)\\s*\\(?\\s*!?\\s*remove_hf(?:_re)?\\s*\\(");
    private static final Pattern KEMI = Pattern.compile(
            "(?:\\bif|\\belif|\\bwhile|\\bnot|!|&&|\\|\\||\\band|\\bor|=)\\s*\\(?\\s*KSR\\.(?:hdr\\.remove|textops\\.remove_hf\\w*)\\s*\\(");

    @Override
    public List<Explanation> explain(ExplainContext ctx) {
        List<Explanation> out = new ArrayList<>();
        for (SideRun s : List.of(ctx.a(), ctx.b())) {
            boolean kemi = s.side().engine().kemi();
            for (ScriptLines.Hit h : ScriptLines.find(s.side().scriptText(), kemi ? KEMI : NATIVE)) {
                out.add(new Explanation("remove_hf", "the result of " + (kemi ? "KSR.hdr.remove()/KSR.textops.remove_hf()" : "remove_hf()")
                        + " is tested at " + s.side().at(h.line()) + ": native remove_hf returns -1 when nothing was removed, "
                        + "the KEMI functions return 1, so the condition can go the other way"));
            }
        }
        return out;
    }
}
