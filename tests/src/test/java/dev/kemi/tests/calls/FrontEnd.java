package dev.kemi.tests.calls;

/**
 * Who routes the calls: Kemi Proxy or Kamailio 5.6.3 itself, each with one of the three
 * equivalent example configurations in scripts/ (native cfg, Python KEMI, JavaScript KEMI).
 */
public enum FrontEnd {
    NATIVE("failover.cfg", false, null),
    PYTHON("failover-python.cfg", false, "failover.py"),
    JS("failover-js.cfg", false, "failover.js"),
    KAMAILIO_NATIVE("failover.cfg", true, null),
    KAMAILIO_PYTHON("failover-python.cfg", true, "failover.py"),
    KAMAILIO_JS("failover-js.cfg", true, "failover.js");

    /** The cfg in scripts/. */
    final String cfg;
    /** Run by /usr/sbin/kamailio rather than in this JVM. */
    final boolean kamailio;
    /** The KEMI script the cfg loads (copied next to it), or null for the native cfg. */
    final String script;

    FrontEnd(String cfg, boolean kamailio, String script) {
        this.cfg = cfg;
        this.kamailio = kamailio;
        this.script = script;
    }

    /** The same configuration run by Kemi Proxy: the one to compare a Kamailio run with. */
    FrontEnd kemiTwin() {
        return kamailio ? values()[ordinal() - 3] : this;
    }

    @Override
    public String toString() {
        return name().toLowerCase().replace('_', '-');
    }
}
