package dev.kemi.runtime.core;

import static dev.kemi.runtime.core.LoopbackUdp.LO;
import static dev.kemi.runtime.core.LoopbackUdp.receive;
import static dev.kemi.runtime.core.LoopbackUdp.request;
import static dev.kemi.runtime.core.LoopbackUdp.send;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.api.FunctionTable;
import dev.kemi.api.RoutingScript;
import dev.kemi.api.ScriptContext;
import java.net.DatagramSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A proxy pushed past its capacity sheds load and serves again as soon as the load drops. */
@Timeout(60)
class OverloadTest {
    private static final int FLOOD = 2000;

    /** Every request costs 5 ms (a slow script); Call-ID "stall" holds the worker until released. */
    static final class SlowScript implements RoutingScript {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch stalled = new CountDownLatch(1);
        final AtomicInteger processed = new AtomicInteger();

        @Override
        public void onRequest(ScriptContext sc) {
            MessageContext ctx = (MessageContext) sc;
            processed.incrementAndGet();
            try {
                if (ctx.msg().callId().equals("stall")) {
                    stalled.countDown();
                    release.await(30, TimeUnit.SECONDS);
                } else {
                    Thread.sleep(5);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            StatelessReply.send(ctx, 200, "OK");
        }

        @Override public void onReply(ScriptContext ctx) { }
        @Override public void onNamedRoute(int routeType, String name, ScriptContext ctx) { }
        @Override public void onSend(ScriptContext ctx) { }
        @Override public void onEvent(String event, ScriptContext ctx) { }
        @Override public boolean has(int routeType, String name) { return true; }
    }

    private SipProxy proxy;
    private final SlowScript script = new SlowScript();

    @AfterEach
    void stop() {
        script.release.countDown();
        if (proxy != null) proxy.close();
    }

    @Test
    void aBacklogOfStaleDatagramsIsShedAndTheNextRequestIsServedAtOnce() throws Exception {
        Globals g = Globals.of(Map.of("listen", List.of("udp:127.0.0.1:0"), "children", List.of("1")));
        proxy = SipProxy.start(new ProxyConfig(g, script, FunctionTable.build(List.of()), List.of()));
        int port = proxy.sockets().getFirst().address().getPort();
        try (DatagramSocket flooder = new DatagramSocket(0, LO); DatagramSocket probe = new DatagramSocket(0, LO)) {
            send(flooder, port, request("OPTIONS", flooder.getLocalPort(), "stall", 0));
            assertTrue(script.stalled.await(10, TimeUnit.SECONDS), "the worker took the stalling request");
            // 2000 x 5 ms = 10 s of work queued behind the stalled worker (paced so the socket buffer keeps up)
            for (int i = 1; i <= FLOOD; i++) {
                send(flooder, port, request("OPTIONS", flooder.getLocalPort(), "flood-" + i, i));
                if (i % 100 == 0) Thread.sleep(5);
            }
            Thread.sleep(1000); // the flood grows older than a retransmission interval (T1) while the worker is stuck
            script.release.countDown();

            probe.setSoTimeout(3000);
            send(probe, port, request("OPTIONS", probe.getLocalPort(), "after-the-flood", 1));
            String answer = receive(probe);
            assertNotNull(answer, "a request after the flood is answered within 3 s (processed " + script.processed + ")");
            assertTrue(answer.startsWith("SIP/2.0 200"), answer);
        }
        assertTrue(script.processed.get() < FLOOD / 2, "stale datagrams were dropped, not processed: " + script.processed);
    }
}
