package dev.kemi.runtime.compare;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Everything that happened in one scenario run, in order. */
public final class Trace {
    private final List<TraceEvent> events = new ArrayList<>();
    private final String runTag;

    public Trace() {
        this("");
    }

    /** @param runTag suffix making the UAs' ids unique to this run (real sockets); "" on the virtual network */
    public Trace(String runTag) {
        this.runTag = runTag;
    }

    public String runTag() {
        return runTag;
    }

    public void add(TraceEvent e) {
        events.add(e);
    }

    public List<TraceEvent> events() {
        return Collections.unmodifiableList(events);
    }

    /** The messages the proxy sent, in order: what configurations are compared on. */
    public List<TraceEvent> sentByProxy() {
        return events.stream().filter(TraceEvent::sentByProxy).toList();
    }

    /** "[  12ms] alice -> proxy: INVITE" lines. */
    public List<String> ladder() {
        List<String> out = new ArrayList<>();
        for (TraceEvent e : events) out.add(String.format("[%6dms] %s", e.atMs(), e.arrow()));
        return out;
    }
}
