package dev.kemi.runtime.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A KEMI side sent what the other did not, and its script calls KSR.set_drop(): in request_route
 * (and failure_route) there is no KEMI action context, so it has no effect and does not stop the
 * script, unlike native `drop` (§2, §6.1.5).
 */
final class SetDropRule implements ExplainRule {
    private static final Pattern CALL = Pattern.compile("\\bKSR\\.set_drop\\s*\\(");

    @Override
    public List<Explanation> explain(ExplainContext ctx) {
        SideRun went = ctx.extraSide();
        if (went == null || !went.side().engine().kemi()) return List.of();
        List<Explanation> out = new ArrayList<>();
        for (ScriptLines.Hit h : ScriptLines.find(went.side().scriptText(), CALL)) {
            out.add(new Explanation("set_drop", "`KSR.set_drop()` at " + went.side().at(h.line())
                    + " has no effect in request_route (no KEMI action context) and does not stop the script: native `drop` ends "
                    + "there, KEMI goes on" + ZeroReturnRule.trigger(ctx, went) + "; return right after it"));
        }
        return out;
    }
}
