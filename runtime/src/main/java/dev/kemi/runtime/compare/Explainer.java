package dev.kemi.runtime.compare;

import java.util.ArrayList;
import java.util.List;

/** Runs a list of {@link ExplainRule}s over a divergence; the rules are data, add more freely. */
public final class Explainer {
    private final List<ExplainRule> rules;

    public Explainer(List<ExplainRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The known native-vs-KEMI pitfalls (reference §2 and §6.1). */
    public static Explainer standard() {
        return new Explainer(List.of(new ZeroReturnRule(), new SetDropRule(), new SanityRule(), new IntAsBoolRule(),
                new RemoveHfRule(), new MyselfPortRule()));
    }

    public List<Explanation> explain(ExplainContext ctx) {
        List<Explanation> out = new ArrayList<>();
        for (ExplainRule r : rules) {
            try {
                out.addAll(r.explain(ctx));
            } catch (RuntimeException e) {
                out.add(new Explanation("explainer", r.getClass().getSimpleName() + " failed: " + e));
            }
        }
        return out;
    }
}
