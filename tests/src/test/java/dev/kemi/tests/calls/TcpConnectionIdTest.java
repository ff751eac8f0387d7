package dev.kemi.tests.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.SipClient;
import dev.kemi.tests.SipRequests;
import dev.kemi.tests.SipWire;
import org.junit.jupiter.api.Test;

/**
 * Kamailio puts ";i=ID" (the TCP connection a request came over) in its Via of every relayed
 * request, stateless or through tm, so a stateless reply finds that connection again even when
 * the sender's Via names another port and no rport.
 */
class TcpConnectionIdTest {
    @Test
    void statelessReplyGoesBackOverTheRequestsConnection() {
        try (ProxyUnderTest proxy = ProxyUnderTest.startWith("""
                request_route {
                    $du = $hdr(X-Callee);
                    forward();
                }
                """);
             SipClient caller = proxy.tcpClient(); SipClient callee = proxy.udpClient()) {
            // the caller's Via names a port nobody listens on, without rport: only ;i= leads back
            String message = SipRequests.request("MESSAGE", "sip:bob@127.0.0.1", caller, SipRequests.callId(),
                            "X-Callee: sip:127.0.0.1:" + callee.localPort())
                    .replaceFirst("Via: SIP/2.0/TCP 127.0.0.1:\\d+;(branch=[^;\\r]+);rport", "Via: SIP/2.0/TCP 127.0.0.1:9;$1");
            caller.send(message);
            SipWire relayed = callee.expect();
            String ours = relayed.headers("Via").getFirst();
            assertNotNull(SipWire.param(ours, "i"), "connection id in our Via: " + ours);
            callee.send(relayed.text().replaceFirst("^MESSAGE [^\\r]+", "SIP/2.0 202 Accepted"));
            SipWire reply = caller.expect();
            assertEquals(202, reply.status());
            assertEquals(1, reply.headers("Via").size(), reply.text());
        }
    }
}
