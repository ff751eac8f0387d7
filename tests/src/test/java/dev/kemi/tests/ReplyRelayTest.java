package dev.kemi.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A reply no module takes is relayed statelessly: top Via removed, sent to the next Via. */
class ReplyRelayTest {
    private static ProxyUnderTest proxy;

    @BeforeAll
    static void start() {
        proxy = ProxyUnderTest.startWith("");
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    private static String reply(String secondVia) {
        return "SIP/2.0 180 Ringing\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + proxy.port() + ";branch=z9hG4bK-proxy\r\n"
                + "Via: " + secondVia + "\r\n"
                + "From: <sip:a@example.org>;tag=1\r\n"
                + "To: <sip:b@example.org>;tag=2\r\n"
                + "Call-ID: " + SipRequests.callId() + "\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    @Test
    void udpReplyGoesToReceivedAndRportOfTheSecondVia() {
        try (SipClient upstream = proxy.udpClient(); SipClient downstream = proxy.udpClient()) {
            downstream.send(reply("SIP/2.0/UDP 192.0.2.7:5070;received=127.0.0.1;rport=" + upstream.localPort() + ";branch=z9hG4bK-up"));
            SipWire r = upstream.expect();
            assertEquals(180, r.status());
            List<String> vias = r.headers("Via");
            assertEquals(1, vias.size(), r.text());
            assertEquals("z9hG4bK-up", SipWire.param(vias.getFirst(), "branch"));
            downstream.expectNothing(Duration.ofMillis(200));
        }
    }

    @Test
    void tcpReplyReusesTheUpstreamConnection() {
        try (SipClient upstream = proxy.tcpClient(); SipClient downstream = proxy.udpClient()) {
            upstream.send(SipRequests.options(proxy, upstream, SipRequests.callId()));
            assertEquals(200, upstream.expect().status()); // the connection is in the proxy's table now
            downstream.send(reply("SIP/2.0/TCP 127.0.0.1:" + upstream.localPort() + ";branch=z9hG4bK-up"));
            SipWire r = upstream.expect();
            assertEquals(180, r.status());
            assertEquals(1, r.headers("Via").size());
        }
    }

    @Test
    void replyWithOnlyOurViaIsDropped() {
        try (SipClient downstream = proxy.udpClient()) {
            String r = reply("x").replace("Via: x\r\n", "");
            downstream.send(r);
            downstream.expectNothing(Duration.ofMillis(300));
            downstream.send(SipRequests.options(proxy, downstream, SipRequests.callId()));
            assertEquals(200, downstream.expect().status());
        }
    }
}
