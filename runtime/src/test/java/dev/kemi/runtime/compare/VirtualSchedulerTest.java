package dev.kemi.runtime.compare;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class VirtualSchedulerTest {
    @Test
    void runsInTimeOrderFifoForEqualTimesOnlyWhenAdvanced() {
        VirtualScheduler s = new VirtualScheduler();
        List<String> ran = new ArrayList<>();
        s.schedule(() -> ran.add("b@20"), 20, TimeUnit.MILLISECONDS);
        s.schedule(() -> ran.add("a@10"), 10, TimeUnit.MILLISECONDS);
        s.schedule(() -> ran.add("c@20"), 20, TimeUnit.MILLISECONDS);
        s.execute(() -> ran.add("now"));
        assertEquals(List.of(), ran, "nothing runs by itself");
        s.advance(15);
        assertEquals(List.of("now", "a@10"), ran);
        assertEquals(15, s.nowMillis());
        s.advance(5);
        assertEquals(List.of("now", "a@10", "b@20", "c@20"), ran);
    }

    @Test
    void tasksSeeTheirOwnTimeAndMayScheduleMore() {
        VirtualScheduler s = new VirtualScheduler();
        List<Long> at = new ArrayList<>();
        s.schedule(() -> {
            at.add(s.nowMillis());
            s.schedule(() -> at.add(s.nowMillis()), 5, TimeUnit.MILLISECONDS);
        }, 100, TimeUnit.MILLISECONDS);
        s.advance(1000);
        assertEquals(List.of(100L, 105L), at);
        assertEquals(1000, s.nowMillis());
    }

    @Test
    void periodicAndCancel() {
        VirtualScheduler s = new VirtualScheduler();
        List<Long> ticks = new ArrayList<>();
        ScheduledFuture<?> f = s.scheduleAtFixedRate(() -> ticks.add(s.nowMillis()), 10, 10, TimeUnit.MILLISECONDS);
        ScheduledFuture<?> never = s.schedule(() -> ticks.add(-1L), 25, TimeUnit.MILLISECONDS);
        never.cancel(false);
        s.advance(35);
        f.cancel(false);
        s.advance(100);
        assertEquals(List.of(10L, 20L, 30L), ticks);
        assertEquals(0, s.pending());
    }

    @Test
    void stopsEarlyWhenTheConditionHolds() {
        VirtualScheduler s = new VirtualScheduler();
        List<String> ran = new ArrayList<>();
        s.schedule(() -> ran.add("x"), 50, TimeUnit.MILLISECONDS);
        s.schedule(() -> ran.add("y"), 60, TimeUnit.MILLISECONDS);
        assertTrue(s.advanceTo(TimeUnit.SECONDS.toNanos(10), () -> !ran.isEmpty()));
        assertEquals(List.of("x"), ran);
        assertEquals(50, s.nowMillis(), "the clock stops where the condition became true");
    }
}
