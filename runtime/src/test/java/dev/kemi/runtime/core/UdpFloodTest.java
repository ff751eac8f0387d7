package dev.kemi.runtime.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.api.FunctionTable;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A flood of 60 KB datagrams behind a busy worker holds a bounded number of bytes, and the shedding is counted. */
@Timeout(60)
class UdpFloodTest {
    private static final int FLOOD = 3000;
    private static final long HEAP_BOUND = 64L << 20;
    private final OverloadTest.SlowScript script = new OverloadTest.SlowScript();
    private SipProxy proxy;

    @AfterEach
    void stop() {
        script.release.countDown();
        if (proxy != null) proxy.close();
    }

    private static byte[] bigOptions(int port, String callId, int cseq) {
        String body = "x".repeat(60_000);
        return ("OPTIONS sip:x@127.0.18.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.18.9:" + port + ";branch=z9hG4bK" + cseq
                + "\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:x@127.0.18.1>\r\nCall-ID: " + callId + "\r\nCSeq: " + cseq
                + " OPTIONS\r\nContent-Type: text/plain\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void sixtyKilobyteDatagramsQueueBoundedBytesAndAreCountedWhenShed() throws Exception {
        Globals g = Globals.of(Map.of("listen", List.of("udp:127.0.18.1:0"), "children", List.of("1")));
        proxy = SipProxy.start(new ProxyConfig(g, script, FunctionTable.build(List.of()), List.of()));
        InetSocketAddress to = proxy.sockets().getFirst().address();
        try (DatagramSocket flooder = new DatagramSocket(0, InetAddress.getByName("127.0.18.9"))) {
            byte[] stall = LoopbackUdp.request("OPTIONS", flooder.getLocalPort(), "stall", 0).getBytes(StandardCharsets.US_ASCII);
            flooder.send(new DatagramPacket(stall, stall.length, to));
            assertTrue(script.stalled.await(10, TimeUnit.SECONDS), "the worker took the stalling request");
            long before = heapAfterGc();
            for (int i = 1; i <= FLOOD; i++) {
                byte[] m = bigOptions(flooder.getLocalPort(), "flood-" + i, i);
                flooder.send(new DatagramPacket(m, m.length, to));
                if (i % 20 == 0) Thread.sleep(1); // paced so the socket buffer, not the kernel, decides
            }
            long shedAtLeast = FLOOD / 2;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (proxy.statistics().value("core", "drop_requests") < shedAtLeast && System.nanoTime() < deadline) Thread.sleep(20);
            long grown = heapAfterGc() - before;
            assertTrue(proxy.statistics().value("core", "drop_requests") >= shedAtLeast,
                    "shed datagrams counted in core:drop_requests: " + proxy.statistics().value("core", "drop_requests"));
            System.err.println("MEASURE heap grown " + (grown >> 20) + " MB, shed " + proxy.statistics().value("core", "drop_requests"));
            assertTrue(grown < HEAP_BOUND, "the queued flood holds " + (grown >> 20) + " MB of heap");
        }
    }
}
