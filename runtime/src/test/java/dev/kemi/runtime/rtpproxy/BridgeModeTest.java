package dev.kemi.runtime.rtpproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kemi.runtime.rtpproxy.RelayFixture.Endpoint;
import dev.kemi.runtime.rtpproxy.RelayFixture.Received;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** -l 127.0.0.2/127.0.0.3: internal and external interfaces on loopback aliases. */
class BridgeModeTest {

    @Test
    void internalToExternalCallUsesBothInterfaces() throws IOException {
        try (RelayFixture relay = RelayFixture.start("127.0.0.2/127.0.0.3", null, 60);
             Endpoint caller = new Endpoint("127.0.0.2");
             Endpoint callee = new Endpoint("127.0.0.3")) {
            // INVITE from the LAN to the WAN: flags "ie"
            String u = relay.command("UIE br 127.0.0.2 " + caller.port() + " ftag;1");
            assertEquals("127.0.0.3", RelayFixture.split(u).get(1), "callee-facing stream on the external address");
            // 200 OK processed with the same flags: I/E ignored for the existing session
            String l = relay.command("LIE br 127.0.0.3 " + callee.port() + " ftag;1 ttag;1");
            assertEquals("127.0.0.2", RelayFixture.split(l).get(1), "caller-facing stream on the internal address");

            caller.sendTo("127.0.0.2", RelayFixture.port(l), "lan-to-wan");
            Received atCallee = callee.expect("lan-to-wan");
            assertEquals("127.0.0.3", atCallee.source().getAddress().getHostAddress());
            assertEquals(RelayFixture.port(u), atCallee.source().getPort());

            callee.sendTo("127.0.0.3", RelayFixture.port(u), "wan-to-lan");
            Received atCaller = caller.expect("wan-to-lan");
            assertEquals("127.0.0.2", atCaller.source().getAddress().getHostAddress());
        }
    }

    @Test
    void withoutDirectionBothStreamsUseTheFirstAddress() throws IOException {
        try (RelayFixture relay = RelayFixture.start("127.0.0.2/127.0.0.3", null, 60)) {
            assertEquals("127.0.0.2", RelayFixture.split(relay.command("U nd 127.0.0.1 30000 f;1")).get(1));
            assertEquals("127.0.0.2", RelayFixture.split(relay.command("L nd 127.0.0.1 30000 f;1 t;1")).get(1));
            assertEquals("127.0.0.3", RelayFixture.split(relay.command("UEE ee 127.0.0.1 30000 f;1")).get(1));
            assertEquals("127.0.0.3", RelayFixture.split(relay.command("L ee 127.0.0.1 30000 f;1 t;1")).get(1));
            assertEquals("E12", relay.command("UIEI three 127.0.0.1 30000 f;1"));
        }
    }

    @Test
    void repliesAdvertiseTheAddressOfTheChosenInterface() throws IOException {
        try (RelayFixture relay = RelayFixture.start("127.0.0.2/127.0.0.3", "198.51.100.10/203.0.113.20", 60)) {
            String u = relay.command("UIE adv 127.0.0.1 30000 ftag;1");
            String l = relay.command("LIE adv 127.0.0.1 30002 ftag;1 ttag;1");
            assertEquals("203.0.113.20", RelayFixture.split(u).get(1));
            assertEquals("198.51.100.10", RelayFixture.split(l).get(1));
            // reverse direction: WAN to LAN
            String u2 = relay.command("UEI adv2 127.0.0.1 30000 ftag;1");
            assertEquals("198.51.100.10", RelayFixture.split(u2).get(1));
        }
    }

    @Test
    void singleAdvertisedAddressIsUsedForEveryReply() throws IOException {
        try (RelayFixture relay = RelayFixture.start("127.0.0.1", "192.0.2.7", 60)) {
            assertEquals(List.of("192.0.2.7"), RelayFixture.split(relay.command("U a 127.0.0.1 30000 f;1")).subList(1, 2));
        }
    }

    @Test
    void wildcardBindRepliesWithBarePort() throws IOException {
        try (RelayFixture relay = RelayFixture.start(null, null, 60)) {
            String u = relay.command("U w 127.0.0.1 30000 f;1");
            assertEquals(1, RelayFixture.split(u).size(), u);
        }
    }
}
