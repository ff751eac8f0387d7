package dev.kemi.runtime.rtpproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class PortRangeTest {

    @Test
    void exhaustedRangeAnswersE72AndDeletedSessionsGiveTheirPortsBack() throws IOException {
        // below Linux's ephemeral range (32768-60999), where another process's socket could hold a port
        int base = 20000 + 2 * ThreadLocalRandom.current().nextInt(5000);
        RtpProxyOptions options = RtpProxyOptions.defaults(ControlSocket.udp("127.0.0.1", 0))
                .withListen("127.0.0.1").withPorts(base, base + 3); // two RTP/RTCP pairs
        try (RtpProxyServer relay = new RtpProxyServer(options);
             DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            relay.start();
            client.connect(relay.udpControlAddresses().getFirst());
            client.setSoTimeout(2000);
            int a = Integer.parseInt(send(client, "U a 127.0.0.1 3000 f;1").split(" ")[0]);
            int b = Integer.parseInt(send(client, "U b 127.0.0.1 3000 f;1").split(" ")[0]);
            assertNotEquals(a, b);
            assertEquals(Set.of(base, base + 2), Set.of(a, b));
            assertEquals("E72", send(client, "U c 127.0.0.1 3000 f;1"));
            assertEquals("0", send(client, "D a f"));
            assertTrue(send(client, "U c 127.0.0.1 3000 f;1").startsWith(a + " "));
        }
    }

    private static String send(DatagramSocket s, String command) throws IOException {
        String cookie = "k" + System.nanoTime();
        byte[] out = (cookie + " " + command).getBytes(StandardCharsets.US_ASCII);
        s.send(new DatagramPacket(out, out.length));
        byte[] buf = new byte[512];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        s.receive(p);
        String reply = new String(buf, 0, p.getLength(), StandardCharsets.US_ASCII).strip();
        return reply.substring(cookie.length() + 1);
    }
}
