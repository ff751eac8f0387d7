package dev.kemi.runtime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TimerWheelTest {
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private WorkerPool pool;

    @AfterEach
    void stop() {
        if (pool != null) pool.shutdown(1, TimeUnit.SECONDS);
    }

    private void move(long ms) {
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    /** Runs a no-op on every worker and waits for it: what the ticks handed over has run by then. */
    private void drain() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(pool.size());
        for (int i = 0; i < pool.size(); i++) {
            while (!pool.executeAt(i, done::countDown)) Thread.onSpinWait(); // a full queue drains
        }
        assertTrue(done.await(10, TimeUnit.SECONDS));
    }

    @Test
    void firesOnTheKeysWorkerAtTheFirstTickAtOrAfterItsDueTimeNeverEarly() throws Exception {
        pool = new WorkerPool(2, 100);
        TimerWheel wheel = new TimerWheel(pool, clock::get);
        List<String> ran = new CopyOnWriteArrayList<>();
        wheel.schedule("call-a", 500, () -> ran.add("a:" + WorkerPool.currentIndex()));
        wheel.schedule("call-b", 5000, () -> ran.add("b"));
        move(499);
        wheel.advance();
        drain();
        assertEquals(List.of(), ran, "not due before 500 ms");
        move(TimerWheel.TICK_MS);
        wheel.advance();
        drain();
        assertEquals(List.of("a:" + pool.indexOf(CallIdHash.of("call-a"))), ran, "on the worker owning its Call-ID");
        move(4600); // a tick late, as after a long pause of the timer thread: every slot passed is expired
        wheel.advance();
        drain();
        assertEquals(2, ran.size());
    }

    @Test
    void aCancelledTimerNeverRunsAndALaterOneInTheSameSlotStillDoes() throws Exception {
        pool = new WorkerPool(1, 100);
        TimerWheel wheel = new TimerWheel(pool, clock::get);
        List<String> ran = new CopyOnWriteArrayList<>();
        WorkerTimers.Timer first = wheel.schedule("k", 100, () -> ran.add("first"));
        wheel.schedule("k", 100, () -> ran.add("second"));
        // 100 ms plus a whole rotation: the same slot, due later
        wheel.schedule("k", 100 + 256 * TimerWheel.TICK_MS, () -> ran.add("next rotation"));
        first.cancel();
        move(200);
        wheel.advance();
        drain();
        assertEquals(List.of("second"), ran);
        move(256 * TimerWheel.TICK_MS);
        wheel.advance();
        drain();
        assertEquals(List.of("second", "next rotation"), ran);
    }

    @Test
    void aBatchAFullQueueRefusedIsHandedAgainAtTheNextTick() throws Exception {
        pool = new WorkerPool(1, 1);
        TimerWheel wheel = new TimerWheel(pool, clock::get);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        assertTrue(pool.executeAt(0, () -> {
            blocked.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        assertTrue(blocked.await(10, TimeUnit.SECONDS));
        assertTrue(pool.executeAt(0, () -> { }), "fills the one queue slot");
        List<String> ran = new CopyOnWriteArrayList<>();
        wheel.schedule("k", 0, () -> ran.add("wait timer"));
        move(TimerWheel.TICK_MS);
        wheel.advance(); // refused: the worker's queue is full
        release.countDown();
        drain();
        assertEquals(List.of(), ran);
        wheel.advance();
        drain();
        assertEquals(List.of("wait timer"), ran, "a refused expiry is not lost (a lost wait timer leaks its transaction)");
    }
}
