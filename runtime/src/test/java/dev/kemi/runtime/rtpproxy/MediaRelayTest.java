package dev.kemi.runtime.rtpproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.runtime.rtpproxy.RelayFixture.Endpoint;
import dev.kemi.runtime.rtpproxy.RelayFixture.Received;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MediaRelayTest {

    private RelayFixture relay;
    private Endpoint caller;
    private Endpoint callee;

    @BeforeEach
    void start() throws IOException {
        relay = RelayFixture.start("127.0.0.1", null, 60);
        caller = new Endpoint("127.0.0.1");
        callee = new Endpoint("127.0.0.1");
    }

    @AfterEach
    void stop() {
        caller.close();
        callee.close();
        relay.close();
    }

    @Test
    void relaysBothWaysAndLatchesOntoTheRealSources() throws IOException {
        // signal wrong ports: symmetric latching must learn the real ones from the first packets
        int toCallee = RelayFixture.port(relay.command("U c1 127.0.0.1 9 ftag;1"));
        int toCaller = RelayFixture.port(relay.command("L c1 127.0.0.1 11 ftag;1 ttag;1"));

        // latches the callee; relayed to the caller's signalled port 9, where nobody listens
        callee.sendTo("127.0.0.1", toCallee, "from-callee-1");
        caller.sendTo("127.0.0.1", toCaller, "from-caller-1");
        Received atCallee = callee.expect("from-caller-1");
        assertEquals(toCallee, atCallee.source().getPort(), "callee hears the relay's port it was given");

        callee.sendTo("127.0.0.1", toCallee, "from-callee-2");
        Received atCaller = caller.expect("from-callee-2");
        assertEquals(toCaller, atCaller.source().getPort());

        // Q from the caller's side: ttl, packets in from the caller, from the callee, relayed, dropped
        List<String> q = RelayFixture.split(relay.command("Q c1 ftag;1 ttag;1"));
        assertEquals(List.of("60", "1", "2", "3", "0"), q);
    }

    @Test
    void latchedLegDropsPacketsFromOtherSources() throws IOException {
        int toCallee = RelayFixture.port(relay.command("U c2 127.0.0.1 " + caller.port() + " ftag;1"));
        relay.command("L c2 127.0.0.1 " + callee.port() + " ftag;1 ttag;1");
        callee.sendTo("127.0.0.1", toCallee, "genuine");
        caller.expect("genuine");
        try (Endpoint intruder = new Endpoint("127.0.0.1")) {
            intruder.sendTo("127.0.0.1", toCallee, "spoofed");
            callee.sendTo("127.0.0.1", toCallee, "genuine-2");
            caller.expect("genuine-2");
        }
        assertEquals("ndropped=1", relay.command("Qv c2 ftag;1 ttag;1 ndropped"));
    }

    @Test
    void largeDatagramsAndBurstsArriveIntact() throws IOException {
        relay.command("U c8 127.0.0.1 " + caller.port() + " ftag;1");
        int toCaller = RelayFixture.port(relay.command("L c8 127.0.0.1 " + callee.port() + " ftag;1 ttag;1"));
        byte[] big = new byte[8000];
        java.util.Arrays.fill(big, (byte) 'x');
        caller.socket.send(new java.net.DatagramPacket(big, big.length,
                java.net.InetAddress.getLoopbackAddress(), toCaller));
        byte[] buf = new byte[9000];
        java.net.DatagramPacket p = new java.net.DatagramPacket(buf, buf.length);
        callee.socket.receive(p);
        assertEquals(8000, p.getLength());
        // a burst read in one batch keeps its order and contents
        for (int i = 0; i < 50; i++) {
            caller.sendTo("127.0.0.1", toCaller, "burst-" + i);
        }
        for (int i = 0; i < 50; i++) {
            callee.expect("burst-" + i);
        }
    }

    @Test
    void rtcpIsRelayedOnPortPlusOne() throws IOException {
        try (Endpoint callerRtcp = new Endpoint("127.0.0.1"); Endpoint calleeRtcp = new Endpoint("127.0.0.1")) {
            int toCallee = RelayFixture.port(relay.command("U c3 127.0.0.1 " + caller.port() + " ftag;1"));
            int toCaller = RelayFixture.port(relay.command("L c3 127.0.0.1 " + callee.port() + " ftag;1 ttag;1"));
            calleeRtcp.sendTo("127.0.0.1", toCallee + 1, "rtcp-from-callee");
            callerRtcp.sendTo("127.0.0.1", toCaller + 1, "rtcp-from-caller");
            Received r = calleeRtcp.expect("rtcp-from-caller");
            assertEquals(toCallee + 1, r.source().getPort());
        }
    }

    @Test
    void asymmetricModifierSendsToTheSignalledAddress() throws IOException {
        try (Endpoint callerReceiver = new Endpoint("127.0.0.1")) {
            // the caller sends from one port but wants media on another (non-symmetric UA)
            int toCallee = RelayFixture.port(relay.command("UA c4 127.0.0.1 " + callerReceiver.port() + " ftag;1"));
            int toCaller = RelayFixture.port(relay.command("L c4 127.0.0.1 " + callee.port() + " ftag;1 ttag;1"));
            caller.sendTo("127.0.0.1", toCaller, "hello-callee");
            callee.expect("hello-callee");
            callee.sendTo("127.0.0.1", toCallee, "hello-caller");
            callerReceiver.expect("hello-caller");
            caller.expectNothing(200);
        }
    }

    @Test
    void nullAddressPutsThePartyOnHold() throws IOException {
        int toCallee = RelayFixture.port(relay.command("U c5 127.0.0.1 " + caller.port() + " ftag;1"));
        int toCaller = RelayFixture.port(relay.command("L c5 127.0.0.1 " + callee.port() + " ftag;1 ttag;1"));
        caller.sendTo("127.0.0.1", toCaller, "c-1");
        callee.expect("c-1");
        callee.sendTo("127.0.0.1", toCallee, "x-1");
        caller.expect("x-1");
        // caller's re-INVITE with c=0.0.0.0
        assertEquals(toCallee, RelayFixture.port(relay.command("U c5 0.0.0.0 " + caller.port() + " ftag;1 ttag;1")));
        callee.sendTo("127.0.0.1", toCallee, "x-held");
        caller.expectNothing(300);
        // off hold again with a real address
        relay.command("U c5 127.0.0.1 " + caller.port() + " ftag;1 ttag;1");
        callee.sendTo("127.0.0.1", toCallee, "x-2");
        caller.expect("x-2");
    }

    @Test
    void deleteByTagsRemovesEveryMediaStreamOfTheCall() throws IOException {
        int audio = RelayFixture.port(relay.command("U c6 127.0.0.1 " + caller.port() + " ftag;1"));
        relay.command("U c6 127.0.0.1 " + caller.port() + " ftag;2");
        relay.command("L c6 127.0.0.1 " + callee.port() + " ftag;1 ttag;1");
        relay.command("L c6 127.0.0.1 " + callee.port() + " ftag;2 ttag;2");
        relay.command("U other 127.0.0.1 " + caller.port() + " ftag;1");
        assertEquals("0", relay.command("D c6 ttag ftag"));
        assertEquals("E50", relay.command("Q c6 ftag;1 ttag;1"));
        assertEquals("E50", relay.command("Q c6 ftag;2 ttag;2"));
        assertTrue(relay.command("I").contains("active sessions: 1\n"), "other call untouched");
        callee.sendTo("127.0.0.1", audio, "after-delete");
        caller.expectNothing(200);
    }

    @Test
    void exactTagDeletesOnlyThatStream() throws IOException {
        relay.command("U c7 127.0.0.1 30000 ftag;1");
        relay.command("U c7 127.0.0.1 30000 ftag;2");
        assertEquals("0", relay.command("D c7 ftag;2"));
        assertEquals("E50", relay.command("Q c7 ftag;2"));
        assertEquals(5, RelayFixture.split(relay.command("Q c7 ftag;1")).size());
    }
}
