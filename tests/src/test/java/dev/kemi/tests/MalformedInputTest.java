package dev.kemi.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad input costs one message, never the proxy: later messages are still answered. */
class MalformedInputTest {
    private static ProxyUnderTest proxy;

    @BeforeAll
    static void start() {
        proxy = ProxyUnderTest.startWith("");
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @Test
    void garbageDatagramIsDroppedAndTheNextRequestAnswered() {
        try (SipClient c = proxy.udpClient()) {
            c.sendBytes(new byte[] {0, 1, 2, (byte) 0xff, 'x', '\r', '\n'});
            c.send("this is not SIP\r\n\r\n");
            c.expectNothing(Duration.ofMillis(300));
            String callId = SipRequests.callId();
            c.send(SipRequests.options(proxy, c, callId));
            SipWire resp = c.expect();
            assertEquals(200, resp.status());
            assertEquals(callId, resp.header("Call-ID"));
        }
    }

    @Test
    void requestWithABadHeaderButAGoodViaGets400() {
        try (SipClient c = proxy.udpClient()) {
            String callId = SipRequests.callId();
            String req = SipRequests.options(proxy, c, callId).replace("Max-Forwards: 70\r\n", "Max-Forwards: 70\r\nthis line is no header\r\n");
            c.send(req);
            SipWire resp = c.expect();
            assertEquals(400, resp.status(), resp.text());
            assertEquals(callId, resp.header("Call-ID"));
            assertEquals(SipWire.param(SipWire.parse(req.replace("this line is no header\r\n", "")).header("Via"), "branch"),
                    SipWire.param(resp.header("Via"), "branch"));
            assertEquals(String.valueOf(c.localPort()), SipWire.param(resp.header("Via"), "rport"));
        }
    }

    @Test
    void ackIsNeverAnsweredEvenWhenMalformed() {
        try (SipClient c = proxy.udpClient()) {
            String ack = SipRequests.request("ACK", "sip:127.0.0.1:" + proxy.port(), c, SipRequests.callId())
                    .replace("Max-Forwards: 70\r\n", "Max-Forwards: 70\r\nbroken\r\n");
            c.send(ack);
            c.expectNothing(Duration.ofMillis(300));
        }
    }

    @Test
    void tcpStreamThatCannotBeFramedIsClosed() {
        try (SipClient c = proxy.tcpClient()) {
            c.sendBytes("OPTIONS sip:x SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:1;branch=z9hG4bK1\r\nContent-Length: 999999\r\n\r\n"
                    .getBytes(StandardCharsets.UTF_8));
            assertTrue(((TcpSipClient) c).closedByPeer(SipClient.DEFAULT_TIMEOUT), "oversize message on a stream: connection closed");
        }
        try (SipClient c = proxy.tcpClient()) {
            c.send(SipRequests.options(proxy, c, SipRequests.callId()));
            assertEquals(200, c.expect().status());
        }
    }
}
