package dev.kemi.runtime.rtpproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.runtime.rtpproxy.RelayFixture.Endpoint;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class SessionTtlTest {

    @Test
    void idleSessionExpiresAfterTtlAndTrafficKeepsItAlive() throws IOException, InterruptedException {
        try (RelayFixture relay = RelayFixture.start("127.0.0.1", null, 1);
             Endpoint caller = new Endpoint("127.0.0.1")) {
            relay.command("U idle 127.0.0.1 30000 f;1");
            int busy = RelayFixture.port(relay.command("U busy 127.0.0.1 30000 f;1"));
            assertEquals("1", relay.command("Q idle f;1").split(" ")[0]);
            long deadline = System.nanoTime() + 5_000_000_000L;
            long start = System.nanoTime();
            String idle;
            do {
                caller.sendTo("127.0.0.1", busy, "keepalive");
                Thread.sleep(100); // packet pacing for the busy call, not synchronisation
                idle = relay.command("Q idle f;1");
            } while (!idle.equals("E50") && System.nanoTime() < deadline);
            assertEquals("E50", idle, "idle session removed");
            assertTrue(System.nanoTime() - start >= 900_000_000L, "not before the TTL");
            assertEquals(5, relay.command("Q busy f;1").split(" ").length, "session with traffic still there");
        }
    }
}
