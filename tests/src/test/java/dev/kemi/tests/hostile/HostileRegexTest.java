package dev.kemi.tests.hostile;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.tests.ProxyUnderTest;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code =~} against a header a peer controls runs in linear time: "^(a|b)*$" on 5000 characters
 * overflowed java.util.regex's stack and lost the message (issue 18); Kamailio matches in under
 * 10 ms.
 */
@Timeout(60)
class HostileRegexTest {
    private static final String CFG = """
            listen=udp:127.0.18.2:{port}
            loadmodule "sl.so"
            request_route {
                if ($hdr(X-A) =~ "^(a|b)*$") {
                    sl_send_reply("200", "matched");
                    exit;
                }
                sl_send_reply("404", "no match");
            }
            """;
    private static ProxyUnderTest proxy;
    private static InetSocketAddress to;

    @BeforeAll
    static void start() {
        proxy = ProxyUnderTest.start(CFG);
        to = proxy.proxy().sockets().getFirst().address();
    }

    @AfterAll
    static void stop() {
        if (proxy != null) proxy.close();
    }

    private static String ask(String header) throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.18.9"), 0))) {
            s.setSoTimeout(5000);
            String m = "OPTIONS sip:x@127.0.18.2 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.18.9:" + s.getLocalPort()
                    + ";branch=z9hG4bK" + System.nanoTime() + "\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:x@127.0.18.2>\r\n"
                    + "Call-ID: re-" + System.nanoTime() + "\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n" + header
                    + "\r\nContent-Length: 0\r\n\r\n";
            byte[] b = m.getBytes(StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(b, b.length, to));
            DatagramPacket p = new DatagramPacket(new byte[65535], 65535);
            try {
                s.receive(p);
            } catch (SocketTimeoutException e) {
                return null;
            }
            return new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void aFiveThousandCharacterHeaderMatchesInMilliseconds() throws Exception {
        assertTrue(ask("X-A: ab").startsWith("SIP/2.0 200 matched"), "warm-up");
        String value = "ab".repeat(2500);
        long t0 = System.nanoTime();
        String r = ask("X-A: " + value);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertNotNull(r, "answered (the message is not lost)");
        assertTrue(r.startsWith("SIP/2.0 200 matched"), r);
        assertTrue(ms < 1000, "answered in " + ms + " ms");
        String miss = ask("X-A: " + value + "c");
        assertNotNull(miss, "a failing match is answered too");
        assertTrue(miss.startsWith("SIP/2.0 404"), miss);
        System.out.println("MEASURE 5000-char =~ round trip " + ms + " ms");
    }
}
