package dev.kemi.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Messages over TCP are cut by Content-Length, whatever the segmentation. */
class TcpFramingTest {
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
    void oneMessageSplitAcrossSegments() throws InterruptedException {
        try (SipClient c = proxy.tcpClient()) {
            String callId = SipRequests.callId();
            byte[] m = SipRequests.options(proxy, c, callId).getBytes(StandardCharsets.UTF_8);
            int[] cuts = {0, 5, 40, m.length - 4, m.length - 1, m.length};
            for (int i = 0; i + 1 < cuts.length; i++) {
                byte[] part = java.util.Arrays.copyOfRange(m, cuts[i], cuts[i + 1]);
                c.sendBytes(part);
                Thread.sleep(20); // let each part leave as its own segment (TCP_NODELAY on the client)
            }
            SipWire resp = c.expect();
            assertEquals(200, resp.status());
            assertEquals(callId, resp.header("Call-ID"));
        }
    }

    @Test
    void severalMessagesInOneSegment() {
        try (SipClient c = proxy.tcpClient()) {
            Set<String> sent = new HashSet<>();
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                String id = SipRequests.callId();
                sent.add(id);
                all.append(SipRequests.options(proxy, c, id));
                if (i == 2) all.append("\r\n\r\n"); // a keep-alive ping between messages
            }
            c.send(all.toString());
            Set<String> answered = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                SipWire resp = c.expect();
                assertEquals(200, resp.status());
                answered.add(resp.header("Call-ID"));
            }
            assertEquals(sent, answered);
        }
    }
}
