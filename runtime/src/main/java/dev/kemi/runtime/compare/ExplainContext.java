package dev.kemi.runtime.compare;

import java.util.List;

/** What an {@link ExplainRule} looks at: the scenario, the divergence, both sides. */
public record ExplainContext(Scenario scenario, Divergence divergence, SideRun a, SideRun b) {

    /**
     * The side that sent a message the other did not: the other sent nothing further, or dropping
     * this one message lines the two runs up again. Null if neither.
     */
    public SideRun extraSide() {
        if (divergence.eventA() < 0) return b;
        if (divergence.eventB() < 0) return a;
        if (alignsAfterSkipping(a, b)) return a;
        if (alignsAfterSkipping(b, a)) return b;
        return null;
    }

    public SideRun other(SideRun s) {
        return s == a ? b : a;
    }

    /** The divergent event of a side, or null if it sent nothing further. */
    public TraceEvent divergentEvent(SideRun s) {
        int i = s == a ? divergence.eventA() : divergence.eventB();
        return i < 0 ? null : s.result().trace().events().get(i);
    }

    /** The last request a UA sent before the divergence on this side ("alice -> proxy: ACK"), or null. */
    public TraceEvent trigger(SideRun s) {
        List<TraceEvent> ev = s.result().trace().events();
        int i = s == a ? divergence.eventA() : divergence.eventB();
        if (i < 0) i = ev.size();
        for (int k = i - 1; k >= 0; k--) {
            TraceEvent e = ev.get(k);
            if (e.kind() == TraceEvent.Kind.TO_PROXY && !SipText.parse(e.text()).isResponse()) return e;
        }
        return null;
    }

    /** True if the trigger repeats an earlier UA request (same first line and Via branch). */
    public boolean triggerIsRetransmission(SideRun s) {
        TraceEvent t = trigger(s);
        if (t == null) return false;
        SipText m = SipText.parse(t.text());
        for (TraceEvent e : s.result().trace().events()) {
            if (e == t) return false;
            if (e.kind() != TraceEvent.Kind.TO_PROXY) continue;
            SipText o = SipText.parse(e.text());
            if (o.firstLine().equals(m.firstLine()) && java.util.Objects.equals(UaAgent.topBranch(o), UaAgent.topBranch(m))) return true;
        }
        return false;
    }

    /** Every message the proxy sent in a side's run, in comparison order, up to and including the divergence. */
    public List<SipText> sentUpToDivergence(SideRun s) {
        List<Integer> order = TraceComparer.order(s.result(), virtual());
        List<TraceEvent> ev = s.result().trace().events();
        int upTo = Math.min(order.size(), divergence.index() + 1);
        return order.subList(0, upTo).stream().map(i -> SipText.parse(ev.get(i).text())).toList();
    }

    private boolean virtual() {
        return a.result().virtual() && b.result().virtual();
    }

    private boolean alignsAfterSkipping(SideRun extra, SideRun other) {
        List<String> e = TraceComparer.comparable(extra.result(), virtual());
        List<String> o = TraceComparer.comparable(other.result(), virtual());
        int k = divergence.index();
        return k + 1 < e.size() && k < o.size() && e.get(k + 1).equals(o.get(k));
    }
}
