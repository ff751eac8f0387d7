package dev.kemi.runtime.compare;

import java.util.ArrayList;
import java.util.List;

/** A run drawn as a SIP ladder: lifelines (UAs around the proxy) and one arrow per event. */
final class Ladder {
    private static final int COL = 150;
    private static final int ROW = 26;
    private static final int TOP = 40;
    private static final int LEFT = 70;

    private Ladder() {}

    /** Lifelines: first UA, the proxy, the other UAs, then "void" if the proxy sent into it. */
    static List<String> participants(Scenario sc, Trace t) {
        List<String> p = new ArrayList<>();
        List<UaSpec> uas = sc.uas();
        if (!uas.isEmpty()) p.add(uas.get(0).name());
        p.add("proxy");
        for (int i = 1; i < uas.size(); i++) p.add(uas.get(i).name());
        if (t.events().stream().anyMatch(e -> e.kind() == TraceEvent.Kind.VOID)) p.add("void");
        return p;
    }

    /**
     * The ladder as SVG; the event at {@code highlight} (or none if -1) is drawn as the divergence.
     * Each arrow's tooltip is its message normalised, so that a report repeats exactly.
     */
    static String svg(Scenario sc, Trace t, int highlight) {
        List<String> p = participants(sc, t);
        List<TraceEvent> ev = t.events();
        List<String> texts = Normalizer.normalize(t);
        int width = LEFT + COL * p.size();
        int height = TOP + ROW * (ev.size() + 1);
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"ladder\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\">");
        s.append("<defs><marker id=\"arr\" markerUnits=\"userSpaceOnUse\" markerWidth=\"8\" markerHeight=\"8\" refX=\"7\" refY=\"4\" orient=\"auto\">"
                + "<path d=\"M0,0 L8,4 L0,8 z\" fill=\"context-stroke\"/></marker></defs>");
        for (int i = 0; i < p.size(); i++) {
            int x = x(i);
            s.append("<text x=\"").append(x).append("\" y=\"16\" class=\"who\" text-anchor=\"middle\">").append(Html.esc(p.get(i))).append("</text>");
            s.append("<line x1=\"").append(x).append("\" y1=\"24\" x2=\"").append(x).append("\" y2=\"").append(height - 4).append("\" class=\"life\"/>");
        }
        for (int k = 0; k < ev.size(); k++) {
            TraceEvent e = ev.get(k);
            int y = TOP + ROW * k + 12;
            String cls = k == highlight ? "ev div" : highlight >= 0 && k > highlight ? "ev after" : "ev";
            if (e.kind() == TraceEvent.Kind.LOST) cls += " lost";
            if (e.kind() == TraceEvent.Kind.VOID) cls += " void";
            s.append("<g class=\"").append(cls).append("\"><title>").append(Html.esc(texts.get(k))).append("</title>");
            s.append("<text x=\"4\" y=\"").append(y + 4).append("\" class=\"t\">").append(e.atMs()).append("ms</text>");
            if (e.kind() == TraceEvent.Kind.NOTE) {
                s.append("<text x=\"").append(LEFT).append("\" y=\"").append(y + 4).append("\" class=\"note\">")
                        .append(Html.esc(e.text())).append("</text></g>");
                continue;
            }
            int x1 = x(Math.max(0, p.indexOf(e.from())));
            int x2 = x(Math.max(0, p.indexOf(e.to())));
            s.append("<line x1=\"").append(x1).append("\" y1=\"").append(y).append("\" x2=\"").append(x2).append("\" y2=\"").append(y)
                    .append("\" marker-end=\"url(#arr)\"").append(e.kind() == TraceEvent.Kind.LOST ? " stroke-dasharray=\"4 3\"" : "").append("/>");
            String label = SipText.parse(e.text()).summary() + (e.kind() == TraceEvent.Kind.LOST ? " (lost)" : "");
            s.append("<text x=\"").append((x1 + x2) / 2).append("\" y=\"").append(y - 4).append("\" text-anchor=\"middle\">")
                    .append(Html.esc(label)).append("</text></g>");
        }
        return s.append("</svg>").toString();
    }

    private static int x(int i) {
        return LEFT + COL * i + COL / 2;
    }
}
