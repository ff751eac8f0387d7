package dev.kemi.runtime.compare;

import java.util.Locale;

/** Output formats of `kemi compare`. */
public enum ReportFormat {
    TEXT, JSON, HTML;

    public String render(CompareReport r) {
        return switch (this) {
            case TEXT -> TextReport.render(r);
            case JSON -> JsonReport.render(r);
            case HTML -> HtmlReport.render(r);
        };
    }

    public static ReportFormat parse(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }

    /** "A", "B" ... for side i. */
    static String letter(int i) {
        return i < 26 ? String.valueOf((char) ('A' + i)) : "S" + i;
    }

    /** "kamailio.cfg (python: route.py)" */
    static String describe(ConfigSide s) {
        if (s.real() != null) return s.label() + " (real sockets)";
        String engine = s.engine().name().toLowerCase(Locale.ROOT);
        return s.label() + " (" + engine + (s.engine().kemi() && s.script() != null ? ": " + s.script().getFileName() : "") + ")";
    }

    /** What a side sent at the divergence: "proxy -> bob: CANCEL", or "(nothing further)". */
    static String arrowAt(ScenarioResult r, int event) {
        return event < 0 ? "(nothing further)" : r.trace().events().get(event).arrow();
    }
}
