package dev.kemi.runtime.core;

import static dev.kemi.runtime.core.LoopbackUdp.LO;
import static dev.kemi.runtime.core.LoopbackUdp.receive;
import static dev.kemi.runtime.core.LoopbackUdp.request;
import static dev.kemi.runtime.core.LoopbackUdp.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.api.FunctionTable;
import dev.kemi.api.RoutingScript;
import dev.kemi.api.ScriptContext;
import java.net.DatagramSocket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pipeline with a script written in Java: worker choice, error containment, reply hooks. */
class SipProxyTest {

    /** Answers 200 to every request, except Call-ID "boom" which makes it throw. */
    static final class TestScript implements RoutingScript {
        final Map<String, Set<Integer>> workersByCallId = new ConcurrentHashMap<>();

        @Override
        public void onRequest(ScriptContext sc) {
            MessageContext ctx = (MessageContext) sc;
            String callId = ctx.msg().callId();
            workersByCallId.computeIfAbsent(callId, k -> ConcurrentHashMap.newKeySet()).add(WorkerPool.currentIndex());
            if (callId.startsWith("boom")) throw new IllegalStateException("script failure");
            StatelessReply.send(ctx, 200, "OK");
        }

        @Override public void onReply(ScriptContext ctx) { }
        @Override public void onNamedRoute(int routeType, String name, ScriptContext ctx) { }
        @Override public void onSend(ScriptContext ctx) { }
        @Override public void onEvent(String event, ScriptContext ctx) { }
        @Override public boolean has(int routeType, String name) { return true; }
    }

    /** A module like tm: initialised before traffic, takes replies whose Call-ID starts with "mine". */
    static final class TakingModule implements RuntimeModule, ReplyHandler {
        volatile ProxyServices services;
        final CountDownLatch taken = new CountDownLatch(1);

        @Override
        public void init(ProxyServices s) {
            services = s;
        }

        @Override
        public boolean onReply(MessageContext ctx) {
            if (!ctx.msg().callId().startsWith("mine")) return false;
            taken.countDown();
            return true;
        }
    }

    private SipProxy proxy;
    private final TestScript script = new TestScript();
    private final TakingModule module = new TakingModule();

    private int start() throws Exception {
        Globals g = Globals.of(Map.of("listen", List.of("udp:127.0.0.1:0"), "children", List.of("2")));
        proxy = SipProxy.start(new ProxyConfig(g, script, FunctionTable.build(List.of()), List.of(module)));
        return proxy.sockets().getFirst().address().getPort();
    }

    @AfterEach
    void stop() {
        if (proxy != null) proxy.close();
    }

    @Test
    void scriptFailureCostsOneMessageAndACallStaysOnOneWorker() throws Exception {
        int port = start();
        assertSame(proxy, module.services, "RuntimeModule initialised with the running proxy");
        try (DatagramSocket c = new DatagramSocket(0, LO)) {
            c.setSoTimeout(5000);
            send(c, port, request("MESSAGE", c.getLocalPort(), "boom-1", 1));
            for (int call = 0; call < 8; call++) {
                for (int cseq = 1; cseq <= 5; cseq++) send(c, port, request("MESSAGE", c.getLocalPort(), "call-" + call, cseq));
            }
            for (int i = 0; i < 40; i++) assertNotNull(receive(c), "answer " + i);
        }
        script.workersByCallId.forEach((callId, workers) -> assertEquals(1, workers.size(), callId + " ran on " + workers));
        assertTrue(script.workersByCallId.values().stream().allMatch(w -> w.iterator().next() >= 0), "ran on workers");
    }

    /** A control client asking for RPCs while a module still initialises waits until the proxy started. */
    @Test
    void rpcWaitsUntilEveryModuleHasInitialised() throws Exception {
        CountDownLatch asked = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean initDone = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean servedEarly = new java.util.concurrent.atomic.AtomicBoolean();
        CountDownLatch served = new CountDownLatch(1);
        RuntimeModule slow = services -> {
            Thread.ofPlatform().start(() -> {
                asked.countDown();
                services.rpc();
                servedEarly.set(!initDone.get());
                served.countDown();
            });
            try {
                asked.await();
                // the client is now in rpc() (or about to be): it must still be waiting when init ends
                assertTrue(!served.await(200, TimeUnit.MILLISECONDS), "RPC answered before modules finished init");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            initDone.set(true);
        };
        Globals g = Globals.of(Map.of("listen", List.of("udp:127.0.0.1:0"), "children", List.of("1")));
        proxy = SipProxy.start(new ProxyConfig(g, script, FunctionTable.build(List.of()), List.of(slow)));
        assertTrue(served.await(5, TimeUnit.SECONDS), "RPC answered once started");
        assertTrue(!servedEarly.get(), "RPC answered before modules finished init");
    }

    @Test
    void replyHandlerTakesRepliesBeforeStatelessRelay() throws Exception {
        int port = start();
        try (DatagramSocket upstream = new DatagramSocket(0, LO); DatagramSocket downstream = new DatagramSocket(0, LO)) {
            upstream.setSoTimeout(300);
            for (String callId : new String[] {"mine-1", "other-1"}) {
                send(downstream, port, "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:" + port + ";branch=z9hG4bK1\r\n"
                        + "Via: SIP/2.0/UDP 127.0.0.1:" + upstream.getLocalPort() + ";branch=z9hG4bK2\r\n"
                        + "From: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\nCall-ID: " + callId + "\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n");
            }
            assertTrue(module.taken.await(5, TimeUnit.SECONDS));
            upstream.setSoTimeout(5000);
            String relayed = receive(upstream);
            assertNotNull(relayed);
            assertTrue(relayed.contains("Call-ID: other-1"), relayed);
            upstream.setSoTimeout(300);
            assertNull(receive(upstream), "the taken reply is not relayed");
        }
    }
}
