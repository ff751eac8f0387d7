package dev.kemi.runtime.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A 400 from sanity around the divergence: native sanity_check() (autodrop=1) returns 0 on
 * failure and the script exits after the 400; KSR.sanity.sanity_check() returns -1 and the KEMI
 * script goes on unless it tests the result (§4.1, §6.1.10).
 */
final class SanityRule implements ExplainRule {
    private static final Pattern CALL = Pattern.compile("\\bsanity_check\\s*\\(");

    @Override
    public List<Explanation> explain(ExplainContext ctx) {
        boolean badRequest = false;
        for (SideRun s : List.of(ctx.a(), ctx.b())) {
            for (SipText m : ctx.sentUpToDivergence(s)) badRequest |= m.status() == 400;
        }
        if (!badRequest) return List.of();
        List<Explanation> out = new ArrayList<>();
        for (SideRun s : List.of(ctx.a(), ctx.b())) {
            if (!s.side().engine().kemi()) continue;
            for (ScriptLines.Hit h : ScriptLines.find(s.side().scriptText(), CALL)) {
                out.add(new Explanation("sanity", "`KSR.sanity.sanity_check()` at " + s.side().at(h.line())
                        + " returns -1 on a bad message in KEMI; native sanity_check() returns 0 there (autodrop=1), so the native "
                        + "script exits right after the 400 while the KEMI one goes on unless it tests the result"));
            }
        }
        return out;
    }
}
