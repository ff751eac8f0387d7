package dev.kemi.runtime.compare;

import java.util.ArrayList;
import java.util.List;

/** Finds the first message where two runs' proxies sent something different. */
final class TraceComparer {
    private TraceComparer() {}

    /**
     * Null when the proxies sent the same messages (after normalisation) to the same places. On
     * the virtual clock the global order and times count; when a side ran over real sockets only
     * the order per destination is observable, so messages are compared destination by destination,
     * and what a proxy sent into the void (to no UA) is left out: a real proxy's is unobservable.
     */
    static Divergence compare(ScenarioResult a, ScenarioResult b) {
        boolean virtual = a.virtual() && b.virtual();
        List<Integer> sa = sentIndexes(a.trace(), !virtual);
        List<Integer> sb = sentIndexes(b.trace(), !virtual);
        List<String> na = Normalizer.normalize(a.trace(), sa);
        List<String> nb = Normalizer.normalize(b.trace(), sb);
        int n = Math.max(sa.size(), sb.size());
        for (int k = 0; k < n; k++) {
            int ia = k < sa.size() ? sa.get(k) : -1;
            int ib = k < sb.size() ? sb.get(k) : -1;
            List<String> la = ia < 0 ? List.of() : lines(a.trace().events().get(ia), na.get(ia), virtual);
            List<String> lb = ib < 0 ? List.of() : lines(b.trace().events().get(ib), nb.get(ib), virtual);
            if (!la.equals(lb)) return new Divergence(k, ia, ib, LineDiff.diff(la, lb));
        }
        return null;
    }

    /** The proxy-sent messages of a run as compared (normalised, in comparison order): for explanation rules. */
    static List<String> comparable(ScenarioResult r, boolean virtual) {
        List<Integer> order = sentIndexes(r.trace(), !virtual);
        List<String> norm = Normalizer.normalize(r.trace(), order);
        List<String> out = new ArrayList<>();
        for (int i : order) out.add(String.join("\n", lines(r.trace().events().get(i), norm.get(i), virtual)));
        return out;
    }

    /** Event indexes of the proxy-sent messages in comparison order. */
    static List<Integer> order(ScenarioResult r, boolean virtual) {
        return sentIndexes(r.trace(), !virtual);
    }

    /** What is compared for one sent message: where it went, from which socket, when, and its text. */
    static List<String> lines(TraceEvent e, String normalized, boolean withTime) {
        List<String> out = new ArrayList<>();
        out.add("# to " + e.to() + " (" + e.target() + ") from " + e.socket() + (withTime ? " at " + e.atMs() + " ms" : ""));
        out.addAll(normalized.lines().toList());
        return out;
    }

    private static List<Integer> sentIndexes(Trace t, boolean byDestination) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < t.events().size(); i++) {
            TraceEvent e = t.events().get(i);
            if (e.sentByProxy() && !(byDestination && e.kind() == TraceEvent.Kind.VOID)) out.add(i);
        }
        if (byDestination) out.sort(java.util.Comparator.comparing(i -> t.events().get(i).to()));
        return out;
    }
}
