package dev.kemi.tests.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.SipClient;
import dev.kemi.tests.SipRequests;
import dev.kemi.tests.SipWire;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An exception in ksr_request_route ends routing for that message, as on Kamailio 5.6.3 (seen
 * there with app_python3 and app_jsdt: the traceback is logged, the request gets no reply, even
 * one prepared with append_to_reply before the error), and the worker serves the next message.
 */
class ScriptErrorTest {
    private static final String PYTHON = """
            import KSR

            def mod_init():
                return Handler()

            class Handler:
                def child_init(self, rank):
                    return 0

                def ksr_request_route(self, msg):
                    KSR.hdr.append_to_reply("X-Served: python\\r\\n")
                    if KSR.pv.get("$hdr(X-Throw)") == "1":
                        helper()
                    KSR.sl.sl_send_reply(200, "OK")
                    return 1

            def helper():
                return 1 / 0
            """;
    private static final String JS = """
            function ksr_request_route() {
                KSR.hdr.append_to_reply("X-Served: js\\r\\n");
                if (KSR.pv.get("$hdr(X-Throw)") == "1") helper();
                KSR.sl.sl_send_reply(200, "OK");
            }
            function helper() {
                throw new Error("boom");
            }
            """;

    /** Long enough for a reply to a request that gets one (the second request shows the worker is fine). */
    private static final Duration NO_REPLY_WAIT = Duration.ofSeconds(2);

    @ParameterizedTest
    @ValueSource(strings = {"python", "js"})
    void exceptionInRequestRouteDropsTheRequestAndTheNextIsServed(String language) {
        boolean python = language.equals("python");
        String cfg = ReloadableProxy.resource("kamailio-" + language + ".cfg");
        Map<String, String> files = Map.of(python ? "logic.py" : "logic.js", python ? PYTHON : JS);
        try (ProxyUnderTest proxy = ProxyUnderTest.start(cfg, files); SipClient client = proxy.udpClient()) {
            String uri = "sip:127.0.0.1:" + proxy.port();
            client.send(SipRequests.request("OPTIONS", uri, client, SipRequests.callId(), "X-Throw: 1"));
            client.expectNothing(NO_REPLY_WAIT); // no reply to the request whose route raised

            String callId = SipRequests.callId();
            client.send(SipRequests.request("OPTIONS", uri, client, callId));
            String text = client.receive(Duration.ofSeconds(60)); // a worker's first message may create its context
            assertNotNull(text, "the next request is served");
            SipWire reply = SipWire.parse(text);
            assertEquals(200, reply.status());
            assertEquals(callId, reply.header("Call-ID"));
            assertEquals(language, reply.header("X-Served"));
        }
    }
}
