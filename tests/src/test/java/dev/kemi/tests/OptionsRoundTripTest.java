package dev.kemi.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.kemi.runtime.transport.Protocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A cfg without routing blocks: the built-in default route answers OPTIONS to the proxy with 200. */
class OptionsRoundTripTest {
    private static ProxyUnderTest proxy;

    @BeforeAll
    static void start() {
        proxy = ProxyUnderTest.startWith("");
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @ParameterizedTest
    @EnumSource(value = Protocol.class, names = {"UDP", "TCP"})
    void optionsToTheProxyGets200(Protocol proto) {
        try (SipClient c = proxy.client(proto)) {
            String callId = SipRequests.callId();
            SipWire req = SipWire.parse(SipRequests.options(proxy, c, callId));
            c.send(req.text());
            SipWire resp = c.expect();
            assertEquals(200, resp.status(), resp.text());
            assertEquals(callId, resp.header("Call-ID"));
            assertEquals("1 OPTIONS", resp.header("CSeq"));
            assertEquals(req.header("From"), resp.header("From"));
            String to = resp.header("To");
            assertEquals(req.header("To"), to.substring(0, to.indexOf(";tag=")), "To copied, tag added");
            String via = resp.header("Via");
            assertEquals(SipWire.param(req.header("Via"), "branch"), SipWire.param(via, "branch"));
            assertEquals(String.valueOf(c.localPort()), SipWire.param(via, "rport"), "rport filled in (RFC 3581)");
            // with rport, received= is added even when sent-by is the source IP (RFC 3581 §4; Kamailio too)
            assertEquals(c.localHost(), SipWire.param(via, "received"));
            assertTrue(via.indexOf(";rport=") < via.indexOf(";received="), "local replies: rport before received, as Kamailio");
            assertEquals("0", resp.header("Content-Length"));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Protocol.class, names = {"UDP", "TCP"})
    void otherRequestsGet404(Protocol proto) {
        try (SipClient c = proxy.client(proto)) {
            c.send(SipRequests.request("MESSAGE", "sip:bob@example.org", c, SipRequests.callId()));
            SipWire resp = c.expect();
            assertEquals(404, resp.status(), resp.text());
            assertNotNull(SipWire.param(resp.header("To"), "tag"));
        }
    }
}
