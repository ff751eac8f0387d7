package dev.kemi.runtime.modules.tm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counters reported by the tm.stats RPC, named as Kamailio names them. */
public final class TmStats {
    final LongAdder current = new LongAdder();
    final LongAdder waiting = new LongAdder();
    final LongAdder total = new LongAdder();
    final LongAdder totalLocal = new LongAdder();
    final LongAdder rplReceived = new LongAdder();
    final LongAdder rplGenerated = new LongAdder();
    final LongAdder rplSent = new LongAdder();
    final LongAdder c6xx = new LongAdder();
    final LongAdder c5xx = new LongAdder();
    final LongAdder c4xx = new LongAdder();
    final LongAdder c3xx = new LongAdder();
    final LongAdder c2xx = new LongAdder();
    final LongAdder created = new LongAdder();
    final LongAdder freed = new LongAdder();
    final LongAdder delayedFree = new LongAdder();

    void completed(int code) {
        if (code >= 600) c6xx.increment();
        else if (code >= 500) c5xx.increment();
        else if (code >= 400) c4xx.increment();
        else if (code >= 300) c3xx.increment();
        else if (code >= 200) c2xx.increment();
    }

    /** The tm.stats RPC result, in Kamailio's key order. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("current", current.sum());
        m.put("waiting", waiting.sum());
        m.put("total", total.sum());
        m.put("total_local", totalLocal.sum());
        m.put("rpl_received", rplReceived.sum());
        m.put("rpl_generated", rplGenerated.sum());
        m.put("rpl_sent", rplSent.sum());
        m.put("6xx", c6xx.sum());
        m.put("5xx", c5xx.sum());
        m.put("4xx", c4xx.sum());
        m.put("3xx", c3xx.sum());
        m.put("2xx", c2xx.sum());
        m.put("created", created.sum());
        m.put("freed", freed.sum());
        m.put("delayed_free", delayedFree.sum());
        return m;
    }
}
