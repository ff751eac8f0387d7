package dev.kemi.tests.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.SipRequests;
import dev.kemi.tests.SipWire;
import dev.kemi.tests.TcpSipClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input on a TLS port with one worker (children=1): connections that never send, or stop
 * inside their ClientHello, garbage, plaintext SIP, a client without the certificate
 * require_certificate asks for, a client certificate of an unknown CA. Each costs its own
 * connection: a good client is served while they are open, the half-open ones are closed after
 * the handshake timeout (10 s), and every one is counted over RPC (tls:handshake_failures,
 * tls:plaintext_refused, and Kamailio's tcp:con_timeout for the timed-out ones). On 127.0.34.7.
 */
class TlsBadInputTest {
    static final String IP = "127.0.34.7";
    static final int HALF_OPEN = 20, PARTIAL_HELLO = 5;
    @TempDir
    static Path dir;
    static TestCerts.Issued ca;
    static TestCerts.Issued client;
    static ProxyUnderTest proxy;

    static final String CFG = """
            enable_tls=yes
            children=1
            listen=udp:127.0.34.7:5060
            listen=tls:127.0.34.7:5061
            loadmodule "tls.so"
            loadmodule "sl.so"
            loadmodule "kex.so"
            modparam("tls", "config", "{dir}/tls.cfg")
            request_route {
                sl_send_reply("200", "OK");
            }
            """;

    @BeforeAll
    static void start() {
        ca = TestCerts.ca(dir, "ca");
        TestCerts.Issued server = TestCerts.leaf(dir, "server", ca, "proxy.kemi.test", IP);
        client = TestCerts.leaf(dir, "client", ca, "alice", null);
        String tlsCfg = String.join("\n", "[server:default]", "method = TLSv1.2+", "verify_certificate = yes",
                "require_certificate = yes", "certificate = " + server.certFile(), "private_key = " + server.keyFile(),
                "ca_list = " + ca.certFile(), "");
        proxy = ProxyUnderTest.start(CFG, Map.of("tls.cfg", tlsCfg));
    }

    @AfterAll
    static void stop() {
        if (proxy != null) proxy.close();
    }

    static InetSocketAddress tls() {
        return new InetSocketAddress(IP, 5061);
    }

    @Test
    void eachBadConnectionCostsItselfOnlyAndIsCounted() throws Exception {
        long failures = stat("tls:handshake_failures");
        long notTls = stat("tls:plaintext_refused");
        long timeouts = stat("tcp:con_timeout");
        List<Socket> silent = new ArrayList<>();
        try {
            for (int i = 0; i < HALF_OPEN; i++) silent.add(open());
            for (int i = 0; i < PARTIAL_HELLO; i++) {
                Socket s = open();
                // a handshake record header announcing 512 bytes, then a few of them
                s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03});
                silent.add(s);
            }
            // the one worker is free: a good client is served while the half-open connections wait
            assertEquals(200, options(client.context(ca)).status());

            // garbage and plaintext SIP: closed, counted as not TLS
            byte[] garbage = new byte[300];
            new Random(19).nextBytes(garbage);
            garbage[0] = 0x42;
            assertTrue(closedAfterSending(garbage), "garbage on the TLS port closes the connection");
            assertTrue(closedAfterSending(("OPTIONS sip:" + IP + " SIP/2.0\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII)),
                    "plaintext SIP on the TLS port closes the connection");

            // require_certificate: a client without one, and one with a certificate of an unknown CA
            assertTrue(refused(TestCerts.clientTrusting(ca)), "a client without certificate is refused");
            TestCerts.Issued otherCa = TestCerts.ca(dir, "other-ca");
            assertTrue(refused(TestCerts.leaf(dir, "mallory", otherCa, "mallory", null).context(otherCa, ca)),
                    "a client certificate of an unknown CA is refused");

            // the half-open ones are closed after the handshake timeout, by the proxy
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            for (Socket s : silent) {
                s.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                assertEquals(-1, readOrReset(s), "a half-open connection is closed by the proxy");
            }
        } finally {
            for (Socket s : silent) s.close();
        }
        awaitStat("tcp:con_timeout", timeouts + HALF_OPEN + PARTIAL_HELLO);
        awaitStat("tls:plaintext_refused", notTls + 2);
        awaitStat("tls:handshake_failures", failures + HALF_OPEN + PARTIAL_HELLO + 4);
        assertEquals(200, options(client.context(ca)).status(), "the proxy still serves TLS");
    }

    private static Socket open() throws IOException {
        Socket s = new Socket();
        s.connect(tls(), 5000);
        return s;
    }

    /** -1 on the proxy's close; a reset (the proxy closed with our bytes unread) counts as closed too. */
    private static int readOrReset(Socket s) throws IOException {
        try {
            return s.getInputStream().read();
        } catch (SocketTimeoutException e) {
            return -2;
        } catch (SocketException reset) {
            return -1;
        }
    }

    private static boolean closedAfterSending(byte[] data) throws IOException {
        try (Socket s = open()) {
            s.getOutputStream().write(data);
            s.setSoTimeout(10_000);
            // the proxy may answer with a TLS alert before it closes
            while (true) {
                int b = readOrReset(s);
                if (b == -1) return true;
                if (b == -2) return false;
            }
        }
    }

    private static boolean refused(SSLContext ctx) throws IOException {
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket()) {
            s.connect(tls(), 5000);
            s.setSoTimeout(10_000);
            s.startHandshake();
            // TLSv1.3: the server checks the client's certificate after the client's Finished
            return new TcpSipClient(s, "TLS").closedByPeer(Duration.ofSeconds(10));
        } catch (SSLException | SocketException e) {
            return true;
        }
    }

    private static SipWire options(SSLContext ctx) throws IOException {
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket()) {
            s.connect(tls(), 5000);
            s.setSoTimeout(10_000);
            s.startHandshake();
            try (TcpSipClient c = new TcpSipClient(s, "TLS")) {
                c.send(SipRequests.request("OPTIONS", "sip:" + IP + ":5061;transport=tls", c, SipRequests.callId()));
                return c.expect();
            }
        }
    }

    private static long stat(String name) {
        @SuppressWarnings("unchecked")
        List<String> lines = (List<String>) proxy.proxy().rpc().call("stats.get_statistics", List.of(name));
        for (String l : lines) {
            if (l.startsWith(name + " = ")) return Long.parseLong(l.substring(name.length() + 3).trim());
        }
        throw new AssertionError("no statistic " + name + " in " + lines);
    }

    private static void awaitStat(String name, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (stat(name) < atLeast) {
            if (System.nanoTime() > deadline) throw new AssertionError(name + " = " + stat(name) + ", expected >= " + atLeast);
            Thread.sleep(20); // polling a counter the event loop updates: nothing to await
        }
    }
}
