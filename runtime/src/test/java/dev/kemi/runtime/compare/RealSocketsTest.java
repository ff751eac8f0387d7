package dev.kemi.runtime.compare;

import static org.junit.jupiter.api.Assertions.*;

import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.transport.Protocol;
import dev.kemi.runtime.transport.SipSender;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same scenario file over real UDP sockets against a running (fake) proxy. */
class RealSocketsTest {
    @TempDir Path dir;

    /** The fake proxy on a real UDP socket, everything on one thread as a real proxy's worker would be. */
    private static final class UdpFakeProxy implements AutoCloseable {
        final DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor();
        final Thread reader;

        UdpFakeProxy() throws IOException {
            int port = socket.getLocalPort();
            ListenSocket ls = new ListenSocket(Protocol.UDP, new InetSocketAddress("127.0.0.1", port), null, 0, null);
            SipSender net = (dst, msg, late) -> {
                try {
                    socket.send(new DatagramPacket(msg, msg.length, dst.address()));
                    return true;
                } catch (IOException e) {
                    return false;
                }
            };
            FakeProxy proxy = new FakeProxy(List.of("listen=udp:127.0.0.1:" + port), net, worker);
            reader = new Thread(() -> {
                byte[] buf = new byte[65535];
                while (!socket.isClosed()) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    try {
                        socket.receive(p);
                    } catch (IOException e) {
                        return;
                    }
                    byte[] m = Arrays.copyOf(p.getData(), p.getLength());
                    InetSocketAddress from = (InetSocketAddress) p.getSocketAddress();
                    worker.execute(() -> proxy.receive(m, from, ls));
                }
            });
            reader.start();
        }

        @Override
        public void close() throws InterruptedException {
            socket.close();
            worker.shutdownNow();
            reader.join(5000);
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            return s.getLocalPort();
        }
    }

    @Test
    void realRunMatchesTheVirtualRun() throws Exception {
        try (UdpFakeProxy real = new UdpFakeProxy()) {
            int port = real.socket.getLocalPort();
            String yaml = java.nio.file.Files.readString(Fixtures.CORPUS.resolve("basic-call.yaml"))
                    .replace("127.0.0.1:5071", "127.0.0.1:" + freeUdpPort())
                    .replace("127.0.0.1:5072", "127.0.0.1:" + freeUdpPort())
                    .replace("- wait: 1000", "- wait: 10")
                    .replace("steps:", "settle: 200\nsteps:");
            Scenario sc = ScenarioLoader.parse(yaml, "basic-call.yaml", "basic-call");
            CompareSession session = new CompareSession(FakeProxy.FACTORY, Explainer.standard());
            ScenarioResult overSockets = session.play(0, ConfigSide.real(new InetSocketAddress("127.0.0.1", port)), sc);
            ScenarioResult elsewhere = session.play(1, ConfigSide.of(Fixtures.cfg(dir, "port5060.cfg")), sc);
            assertNull(overSockets.failure(), () -> String.join("\n", overSockets.trace().ladder()));
            assertFalse(overSockets.virtual());
            // same addresses, a virtual proxy listening where the real one does
            ScenarioResult v = session.play(1, ConfigSide.of(java.nio.file.Files.writeString(dir.resolve("v.cfg"), "listen=udp:127.0.0.1:" + port + "\n")), sc);
            assertNull(v.failure());
            assertEquals(arrows(v), arrows(overSockets));
            assertNull(TraceComparer.compare(v, overSockets), "same messages, per destination, after normalisation");
            assertNotNull(TraceComparer.compare(elsewhere, overSockets), "a proxy on another port sends other Via/Record-Route");
        }
    }

    private static List<String> arrows(ScenarioResult r) {
        return r.trace().events().stream().map(TraceEvent::arrow).sorted().toList();
    }

    @Test
    void tcpFramesAreSplitByContentLength() throws Exception {
        byte[] two = ("\r\nINVITE sip:a SIP/2.0\r\nContent-Length: 5\r\n\r\nhelloACK sip:a SIP/2.0\r\nl: 0\r\n\r\n").getBytes();
        java.io.InputStream in = new java.io.ByteArrayInputStream(two);
        assertEquals("INVITE sip:a SIP/2.0\r\nContent-Length: 5\r\n\r\nhello", new String(RealDriver.readFrame(in)));
        assertEquals("ACK sip:a SIP/2.0\r\nl: 0\r\n\r\n", new String(RealDriver.readFrame(in)));
        assertNull(RealDriver.readFrame(in));
    }
}
