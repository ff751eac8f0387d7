package dev.kemi.runtime.modules.xhttp_prom;

import static org.junit.jupiter.api.Assertions.*;

import dev.kemi.runtime.stats.Statistics;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UserMetricsTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final UserMetrics m = new UserMetrics(now::get);

    private String print() {
        StringBuilder b = new StringBuilder();
        m.print(b, "kamailio_", 42);
        return b.toString();
    }

    @Test
    void linesAsXhttpPromPrintsThem() {
        m.declare(UserMetrics.Type.COUNTER, "name=cnt01; label=method:IP;");
        m.declare(UserMetrics.Type.GAUGE, "name=gg01;");
        assertEquals("# User defined metrics\n", print());
        assertNull(m.counterInc("cnt01", 15, List.of("push", "192.168.0.1")));
        assertNull(m.gaugeSet("gg01", -12.5, List.of()));
        assertEquals("# User defined metrics\nkamailio_cnt01{method=\"push\", IP=\"192.168.0.1\"} 15 42\nkamailio_gg01 -12.500000 42\n", print());
    }

    @Test
    void histogramsAsXhttpPromPrintsThem() {
        m.declare(UserMetrics.Type.HISTOGRAM, "name=h; label=lbl; buckets=3.1:5:6.5");
        assertNull(m.histogramObserve("h", 4, List.of("x")));
        assertNull(m.histogramObserve("h", 7, List.of("x")));
        assertEquals("""
                # User defined metrics
                kamailio_h_bucket{lbl="x", le="3.100000"} 0 42
                kamailio_h_bucket{lbl="x", le="5.000000"} 1 42
                kamailio_h_bucket{lbl="x", le="6.500000"} 1 42
                kamailio_h_bucket{lbl="x", le="+Inf"} 2 42
                kamailio_h_sum{lbl="x"} 11.000000 42
                kamailio_h_count{lbl="x"} 2 42
                """, print());
        assertThrows(IllegalArgumentException.class, () -> m.declare(UserMetrics.Type.HISTOGRAM, "name=h2; buckets=2:1"));
        assertThrows(IllegalArgumentException.class, () -> m.declare(UserMetrics.Type.COUNTER, "name=c2; buckets=1"));
    }

    @Test
    void wrongNameTypeOrLabelsAreErrors() {
        m.declare(UserMetrics.Type.COUNTER, "name=c; label=a");
        assertNotNull(m.counterInc("nope", 1, List.of()));
        assertNotNull(m.gaugeSet("c", 1, List.of("x")));
        assertNotNull(m.counterInc("c", 1, List.of()));
        assertNotNull(m.counterInc("c", 1, List.of("")));
        assertThrows(IllegalArgumentException.class, () -> m.declare(UserMetrics.Type.GAUGE, "name=c"));
        assertThrows(IllegalArgumentException.class, () -> m.declare(UserMetrics.Type.GAUGE, "name=g; label=a:b:c:d"));
        assertThrows(IllegalArgumentException.class, () -> m.declare(UserMetrics.Type.GAUGE, "name=g; colour=red"));
        assertThrows(IllegalArgumentException.class, () -> m.declare(UserMetrics.Type.GAUGE, "label=a"));
    }

    @Test
    void unusedValuesExpire() {
        m.timeoutMinutes(1);
        m.declare(UserMetrics.Type.COUNTER, "name=c; label=a");
        m.counterInc("c", 1, List.of("old"));
        now.addAndGet(30_000);
        m.counterInc("c", 1, List.of("new"));
        now.addAndGet(31_000);
        assertEquals("# User defined metrics\nkamailio_c{a=\"new\"} 1 42\n", print());
    }

    @Test
    void labelValuesAreEscaped() {
        m.declare(UserMetrics.Type.COUNTER, "name=c; label=ua");
        m.counterInc("c", 1, List.of("a\"b\\c"));
        assertTrue(print().contains("kamailio_c{ua=\"a\\\"b\\\\c\"} 1 42\n"), print());
    }

    @Test
    void statisticsSelections() {
        Statistics s = new Statistics();
        s.counter("sl", "200_replies").add(3);
        s.counter("my-grp", "a-b").increment();
        StringBuilder b = new StringBuilder();
        assertTrue(new StatsExposition("sl:").print(b, s, "kamailio_", 7));
        assertEquals("\n# Kamailio statistics for group: sl:\nkamailio_sl_200_replies 3 7\n", b.toString());
        b.setLength(0);
        assertTrue(new StatsExposition("a-b").print(b, s, "", 7));
        assertEquals("\n# Kamailio statistics for: a-b\nmy_grp_a_b 1 7\n", b.toString());
        assertFalse(new StatsExposition("missing").print(new StringBuilder(), s, "", 7));
    }
}
