package dev.kemi.runtime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.api.FunctionTable;
import dev.kemi.api.RoutingScript;
import dev.kemi.api.ScriptContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * TCP peers that misbehave cost their own connection, never the proxy's memory or another
 * peer's messages (issue 18): a peer that never reads, a peer that stops reading, a peer that
 * pipelines faster than the workers route, a peer that opens too many connections.
 */
@Timeout(120)
class HostileTcpPeerTest {
    private static final String HOST = "127.0.18.1";

    /** Answers 200 to every request; spins {@code costNanos} first, a script that costs something. */
    static final class ReplyingScript implements RoutingScript {
        volatile long costNanos;
        final AtomicLong handled = new AtomicLong();

        @Override
        public void onRequest(ScriptContext sc) {
            long end = System.nanoTime() + costNanos;
            while (System.nanoTime() < end) Thread.onSpinWait();
            StatelessReply.send((MessageContext) sc, 200, "OK");
            handled.incrementAndGet();
        }

        @Override public void onReply(ScriptContext ctx) { }
        @Override public void onNamedRoute(int routeType, String name, ScriptContext ctx) { }
        @Override public void onSend(ScriptContext ctx) { }
        @Override public void onEvent(String event, ScriptContext ctx) { }
        @Override public boolean has(int routeType, String name) { return true; }
    }

    private final ReplyingScript script = new ReplyingScript();
    private SipProxy proxy;

    private InetSocketAddress start(String... globals) throws Exception {
        Map<String, List<String>> g = new HashMap<>();
        g.put("listen", List.of("tcp:" + HOST + ":0"));
        g.put("children", List.of("2"));
        for (int i = 0; i < globals.length; i += 2) g.put(globals[i], List.of(globals[i + 1]));
        proxy = SipProxy.start(new ProxyConfig(Globals.of(g), script, FunctionTable.build(List.of()), List.of()));
        return proxy.sockets().getFirst().address();
    }

    @AfterEach
    void stop() {
        if (proxy != null) proxy.close();
    }

    static byte[] options(int localPort, int n) {
        return ("OPTIONS sip:x@" + HOST + " SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.18.9:" + localPort + ";branch=z9hG4bK-" + n
                + "\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:x@" + HOST + ">\r\nCall-ID: c" + n + "@hostile\r\nCSeq: " + n
                + " OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static Socket client(InetSocketAddress proxyAddr, String from, int rcvbuf) throws IOException {
        Socket s = new Socket();
        if (rcvbuf > 0) s.setReceiveBufferSize(rcvbuf);
        s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        s.connect(proxyAddr, 5000);
        return s;
    }

    private long stat(String group, String name) {
        Long v = proxy.statistics().value(group, name);
        return v == null ? -1 : v;
    }

    private static boolean await(BooleanSupplier cond, long seconds) throws InterruptedException {
        return awaitMillis(cond, TimeUnit.SECONDS.toMillis(seconds));
    }

    private static boolean awaitMillis(BooleanSupplier cond, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            if (cond.getAsBoolean()) return true;
            Thread.sleep(20);
        }
        return cond.getAsBoolean();
    }

    @Test
    void aPeerThatNeverReadsLosesItsConnectionOnceTheWriteQueuePassesTcpConnWqMax() throws Exception {
        InetSocketAddress addr = start();
        try (Socket s = client(addr, "127.0.18.9", 4096)) {
            assertTrue(await(() -> proxy.tcpConnectionCount() == 1, 5), "accepted");
            OutputStream out = s.getOutputStream();
            long sent = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            try {
                // replies pile up behind the unread socket: kernel buffers first, then our queue
                while (System.nanoTime() < deadline && proxy.tcpConnectionCount() > 0) {
                    for (int i = 0; i < 100; i++) out.write(options(s.getLocalPort(), (int) sent++));
                }
            } catch (IOException closedByTheProxy) {
                // expected: reset once the proxy closed it
            }
            assertTrue(await(() -> proxy.tcpConnectionCount() == 0, 10), "the non-reading peer's connection is closed (sent " + sent + ")");
            assertTrue(stat("tcp", "sendq_full") >= 1, "counted as tcp:sendq_full");
            assertTrue(await(() -> stat("tcp", "current_write_queue_size") == 0, 5), "the queue is given back");
        }
    }

    @Test
    void aWriterStuckForTcpSendTimeoutIsClosed() throws Exception {
        InetSocketAddress addr = start("tcp_send_timeout", "3", "tcp_conn_wq_max", "1048576");
        try (Socket s = client(addr, "127.0.18.9", 4096)) {
            OutputStream out = s.getOutputStream();
            int n = 0;
            // send in steps, each answered before the next, until replies stay in our queue (the
            // kernel buffers are full), then stop: the queue is stuck below tcp_conn_wq_max
            boolean stuck = false;
            while (!stuck && n < 100_000) {
                for (int i = 0; i < 200; i++) out.write(options(s.getLocalPort(), n++));
                int sent = n;
                assertTrue(await(() -> script.handled.get() == sent, 10), "answered");
                // a writable socket takes the replies at once; a full one leaves them queued
                stuck = !awaitMillis(() -> stat("tcp", "current_write_queue_size") == 0, 500);
            }
            long stuckSince = System.nanoTime();
            assertTrue(stat("tcp", "current_write_queue_size") > 0, "replies are queued");
            assertTrue(await(() -> proxy.tcpConnectionCount() == 0, 10), "the stuck connection is closed");
            long after = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stuckSince);
            assertTrue(after >= 1500, "not before tcp_send_timeout (3 s): closed after " + after + " ms");
            assertEquals(1, stat("tcp", "send_timeout"));
            assertEquals(0, stat("tcp", "sendq_full"), "the queue stayed under tcp_conn_wq_max");
        }
    }

    @Test
    void twoHundredThousandPipelinedOptionsOnOneConnectionAreAllAnswered() throws Exception {
        script.costNanos = 20_000; // the workers route slower than one connection delivers
        InetSocketAddress addr = start("children", "1");
        int total = 200_000;
        try (Socket s = client(addr, "127.0.18.9", 0)) {
            AtomicLong answered = new AtomicLong();
            Thread reader = Thread.ofPlatform().start(() -> {
                byte[] buf = new byte[65536];
                byte[] mark = "SIP/2.0 200".getBytes(StandardCharsets.US_ASCII);
                int matched = 0;
                try (InputStream in = s.getInputStream()) {
                    for (int r; answered.get() < total && (r = in.read(buf)) > 0; ) {
                        for (int i = 0; i < r; i++) {
                            matched = buf[i] == mark[matched] ? matched + 1 : (buf[i] == mark[0] ? 1 : 0);
                            if (matched == mark.length) {
                                answered.incrementAndGet();
                                matched = 0;
                            }
                        }
                    }
                } catch (IOException e) {
                    // reported by the count below
                }
            });
            OutputStream out = s.getOutputStream();
            long t0 = System.nanoTime();
            byte[] batch;
            for (int n = 0; n < total; n += 100) {
                List<byte[]> parts = new ArrayList<>();
                int size = 0;
                for (int i = n; i < n + 100; i++) {
                    byte[] m = options(s.getLocalPort(), i);
                    parts.add(m);
                    size += m.length;
                }
                batch = new byte[size];
                int at = 0;
                for (byte[] m : parts) {
                    System.arraycopy(m, 0, batch, at, m.length);
                    at += m.length;
                }
                out.write(batch);
            }
            reader.join(TimeUnit.SECONDS.toMillis(90));
            System.out.println("MEASURE " + answered.get() + " of " + total + " pipelined OPTIONS answered in "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
            assertEquals(total, answered.get(), "every pipelined request answered");
            assertEquals(0, stat("core", "drop_requests"), "nothing shed");
        }
    }

    @Test
    void tcpAcceptIplimitCapsTheConnectionsOfOneSourceIp() throws Exception {
        InetSocketAddress addr = start("tcp_accept_iplimit", "3");
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) open.add(client(addr, "127.0.18.9", 0));
            assertTrue(await(() -> proxy.tcpConnectionCount() == 3, 5), "three accepted");
            try (Socket fourth = client(addr, "127.0.18.9", 0)) {
                fourth.setSoTimeout(5000);
                assertEquals(-1, fourth.getInputStream().read(), "the fourth from that IP is closed at once");
            }
            try (Socket other = client(addr, "127.0.18.10", 0)) {
                other.setSoTimeout(5000);
                other.getOutputStream().write(options(other.getLocalPort(), 1));
                byte[] b = new byte[11];
                assertEquals(11, other.getInputStream().readNBytes(b, 0, 11));
                assertEquals("SIP/2.0 200", new String(b, StandardCharsets.US_ASCII), "another IP is served");
            }
            assertEquals(1, stat("tcp", "local_reject"));
        } finally {
            for (Socket s : open) s.close();
        }
    }
}
