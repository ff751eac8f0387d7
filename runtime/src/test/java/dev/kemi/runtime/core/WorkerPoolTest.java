package dev.kemi.runtime.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {
    @Test
    void shutdownEndsOnTimeWhenAStuckWorkerHasAFullQueue() throws Exception {
        WorkerPool pool = new WorkerPool(1, 1);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        assertTrue(pool.execute(0, () -> {
            running.countDown();
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        assertTrue(running.await(10, TimeUnit.SECONDS));
        assertTrue(pool.execute(0, () -> { }), "the one queue slot");
        assertFalse(pool.execute(0, () -> { }), "the queue is full: refused, not blocking the caller");
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> pool.shutdown(200, TimeUnit.MILLISECONDS));
        } finally {
            never.countDown();
        }
    }
}
