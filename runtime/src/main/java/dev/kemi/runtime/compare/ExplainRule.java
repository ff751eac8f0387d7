package dev.kemi.runtime.compare;

import java.util.List;

/** Recognises one known native-vs-KEMI pitfall in a divergence; empty if it does not apply. */
public interface ExplainRule {
    List<Explanation> explain(ExplainContext ctx);
}
