package dev.kemi.runtime.rtpproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.runtime.rtpproxy.RelayFixture.Endpoint;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * A stranger who knows a relay port cannot take a leg over with one packet sent before the
 * party's first (issue 18), and its packets do not keep a dead session alive.
 */
class RelayHijackTest {
    private static final String RELAY = "127.0.18.3";

    @Test
    void aSpoofedFirstPacketDoesNotLatchTheLeg() throws IOException {
        try (RelayFixture relay = RelayFixture.start(RELAY, null, 60);
             Endpoint caller = new Endpoint("127.0.18.4");
             Endpoint callee = new Endpoint("127.0.18.4");
             Endpoint intruder = new Endpoint("127.0.18.5")) {
            int toCallee = RelayFixture.port(relay.command("U h1 127.0.18.4 " + caller.port() + " ftag;1"));
            int toCaller = RelayFixture.port(relay.command("L h1 127.0.18.4 " + callee.port() + " ftag;1 ttag;1"));
            intruder.sendTo(RELAY, toCallee, "spoofed");
            callee.sendTo(RELAY, toCallee, "genuine");
            assertEquals("genuine", caller.receive(2000).payload(), "the spoofed packet is not relayed");
            intruder.sendTo(RELAY, toCallee, "spoofed-2");
            callee.sendTo(RELAY, toCallee, "genuine-2");
            assertEquals("genuine-2", caller.receive(2000).payload());
            // the caller's media goes to the callee, not to the intruder
            caller.sendTo(RELAY, toCaller, "to-callee");
            assertEquals("to-callee", callee.receive(2000).payload());
            assertNull(intruder.receive(300), "the intruder gets nothing");
        }
    }

    @Test
    void aSourceOffTheSignalledIpLatchesAfterThreePacketsInARow() throws IOException {
        try (RelayFixture relay = RelayFixture.start(RELAY, null, 60);
             Endpoint caller = new Endpoint("127.0.18.4");
             Endpoint natted = new Endpoint("127.0.18.6")) {
            // the callee's SDP names its private address; its packets come from the NAT's
            int toCallee = RelayFixture.port(relay.command("U h2 127.0.18.4 " + caller.port() + " ftag;1"));
            int toCaller = RelayFixture.port(relay.command("L h2 10.1.2.3 4000 ftag;1 ttag;1"));
            for (int i = 1; i <= 3; i++) natted.sendTo(RELAY, toCallee, "rtp-" + i);
            assertEquals("rtp-3", caller.receive(2000).payload(), "latched on the third packet; two dropped");
            caller.sendTo(RELAY, toCaller, "back");
            assertEquals("back", natted.receive(2000).payload(), "media follows the latched NAT address");
        }
    }

    @Test
    void rejectedPacketsDoNotRefreshTheTtl() throws IOException, InterruptedException {
        try (RelayFixture relay = RelayFixture.start(RELAY, null, 1);
             Endpoint caller = new Endpoint("127.0.18.4");
             Endpoint intruder = new Endpoint("127.0.18.5")) {
            relay.command("U h3 127.0.18.4 " + caller.port() + " ftag;1");
            int toCaller = RelayFixture.port(relay.command("L h3 127.0.18.4 5000 ftag;1 ttag;1"));
            caller.sendTo(RELAY, toCaller, "latch"); // the caller's leg is latched
            long deadline = System.nanoTime() + 5_000_000_000L;
            long start = System.nanoTime();
            String q;
            do {
                intruder.sendTo(RELAY, toCaller, "noise");
                Thread.sleep(100); // packet pacing of the intruder, not synchronisation
                q = relay.command("Q h3 ftag;1 ttag;1");
            } while (!q.equals("E50") && System.nanoTime() < deadline);
            assertEquals("E50", q, "the session expired despite the intruder's packets");
            assertTrue(System.nanoTime() - start >= 900_000_000L, "not before the TTL");
        }
    }
}
