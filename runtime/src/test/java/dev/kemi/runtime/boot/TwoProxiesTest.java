package dev.kemi.runtime.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.runtime.core.SipProxy;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two proxies with different configs in one JVM, used at the same time, share nothing: each has
 * its own transactions (the same INVITE sent to both is a new transaction in each), $avp, $shv,
 * $var and modparams (auto_inv_100 on in one, off in the other).
 */
class TwoProxiesTest {
    private static final String A = "127.0.11.1", B = "127.0.11.2", UAS = "127.0.11.3";
    private static final int PORT = 5060;

    @TempDir
    static Path dir;
    private static SipProxy proxyA, proxyB;
    private static DatagramSocket uas;
    private static final List<String> invitesAtUas = new CopyOnWriteArrayList<>();
    private static Thread uasThread;

    private static String cfg(String ip, String side, String auto100) {
        return """
                listen=udp:%s:%d
                children=1
                loadmodule "tm.so"
                loadmodule "sl.so"
                loadmodule "pv.so"
                loadmodule "textops.so"
                modparam("tm", "auto_inv_100", %s)
                request_route {
                    if (is_method("OPTIONS")) {
                        $shv(n) = $shv(n) + 1;
                        $var(n) = $var(n) + 1;
                        append_to_reply("X-Counts: shv=$shv(n) var=$var(n)\\r\\n");
                        sl_send_reply("200", "OK");
                        exit;
                    }
                    $avp(side) = "%s";
                    t_on_failure("missed");
                    t_relay_to_udp("%s", "%d");
                    exit;
                }
                failure_route[missed] {
                    append_to_reply("X-Side: $avp(side) $T_reply_code\\r\\n");
                    t_reply("480", "Temporarily Unavailable");
                }
                """.formatted(ip, PORT, auto100, side, UAS, PORT);
    }

    private static SipProxy start(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return SipProxy.start(ProxyLoader.proxyConfig(ProxyLoader.load(f, Set.of())));
    }

    @BeforeAll
    static void startAll() throws Exception {
        uas = new DatagramSocket(new InetSocketAddress(UAS, PORT));
        uasThread = new Thread(TwoProxiesTest::busyUas, "two-proxies-uas");
        uasThread.setDaemon(true);
        uasThread.start();
        proxyA = start("a.cfg", cfg(A, "A", "yes"));
        proxyB = start("b.cfg", cfg(B, "B", "no"));
    }

    @AfterAll
    static void stopAll() {
        if (proxyA != null) proxyA.close();
        if (proxyB != null) proxyB.close();
        uas.close();
    }

    /** Answers every INVITE with 486 Busy Here, as the callee of both proxies. */
    private static void busyUas() {
        byte[] buf = new byte[8192];
        while (!uas.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                uas.receive(p);
            } catch (Exception e) {
                return;
            }
            String m = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
            if (!m.startsWith("INVITE ")) continue;
            invitesAtUas.add(m);
            StringBuilder r = new StringBuilder("SIP/2.0 486 Busy Here\r\n");
            for (String line : m.split("\r\n")) {
                String l = line.toLowerCase();
                if (l.startsWith("via:") || l.startsWith("from:") || l.startsWith("call-id:") || l.startsWith("cseq:")) {
                    r.append(line).append("\r\n");
                } else if (l.startsWith("to:")) {
                    r.append(line).append(";tag=uas").append("\r\n");
                }
            }
            r.append("Content-Length: 0\r\n\r\n");
            byte[] b = r.toString().getBytes(StandardCharsets.UTF_8);
            try {
                uas.send(new DatagramPacket(b, b.length, p.getSocketAddress()));
            } catch (Exception e) {
                return;
            }
        }
    }

    private static String invite(String client, int port) {
        // the same Call-ID and branch towards both proxies: one transaction in each
        return "INVITE sip:bob@" + UAS + " SIP/2.0\r\nVia: SIP/2.0/UDP " + client + ":" + port
                + ";branch=z9hG4bK-same-branch;rport\r\nMax-Forwards: 70\r\nFrom: <sip:alice@example.com>;tag=a1\r\n"
                + "To: <sip:bob@example.com>\r\nCall-ID: same-call@two-proxies\r\nCSeq: 1 INVITE\r\n"
                + "Contact: <sip:alice@" + client + ":" + port + ">\r\nContent-Length: 0\r\n\r\n";
    }

    private static String options(String proxy, String client, int port, int n) {
        return "OPTIONS sip:" + proxy + " SIP/2.0\r\nVia: SIP/2.0/UDP " + client + ":" + port + ";branch=z9hG4bK-o" + n
                + ";rport\r\nMax-Forwards: 70\r\nFrom: <sip:alice@example.com>;tag=o" + n + "\r\nTo: <sip:" + proxy
                + ">\r\nCall-ID: options-" + n + "@" + client + "\r\nCSeq: " + n + " OPTIONS\r\nContent-Length: 0\r\n\r\n";
    }

    /** What one caller sees from one proxy: status lines and the X- headers of each reply. */
    private static List<String> talk(String proxy, String client, int options) throws Exception {
        List<String> seen = new ArrayList<>();
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(client, 0))) {
            s.setSoTimeout(5000);
            int port = s.getLocalPort();
            for (int i = 1; i <= options; i++) {
                send(s, proxy, options(proxy, client, port, i));
                seen.add(summary(receive(s)));
            }
            send(s, proxy, invite(client, port));
            String r;
            do {
                r = receive(s);
                seen.add(summary(r));
            } while (r.startsWith("SIP/2.0 1"));
        }
        return seen;
    }

    private static void send(DatagramSocket s, String host, String m) throws Exception {
        byte[] b = m.getBytes(StandardCharsets.UTF_8);
        s.send(new DatagramPacket(b, b.length, new InetSocketAddress(InetAddress.getByName(host), PORT)));
    }

    private static String receive(DatagramSocket s) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[8192], 8192);
        try {
            s.receive(p);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no reply within 5 s");
        }
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
    }

    private static String summary(String reply) {
        StringBuilder b = new StringBuilder(reply.substring(0, reply.indexOf("\r\n")));
        for (String line : reply.split("\r\n")) if (line.startsWith("X-")) b.append(" | ").append(line);
        return b.toString();
    }

    @Test
    void concurrentProxiesDoNotSeeEachOthersState() throws Exception {
        CompletableFuture<List<String>> a = CompletableFuture.supplyAsync(() -> unchecked(() -> talk(A, "127.0.11.4", 3)));
        CompletableFuture<List<String>> b = CompletableFuture.supplyAsync(() -> unchecked(() -> talk(B, "127.0.11.5", 1)));
        List<String> seenA = a.get(30, TimeUnit.SECONDS);
        List<String> seenB = b.get(30, TimeUnit.SECONDS);

        // $shv and $var count each proxy's own OPTIONS only
        assertEquals(List.of("SIP/2.0 200 OK | X-Counts: shv=1 var=1", "SIP/2.0 200 OK | X-Counts: shv=2 var=2",
                "SIP/2.0 200 OK | X-Counts: shv=3 var=3"), seenA.subList(0, 3));
        assertEquals("SIP/2.0 200 OK | X-Counts: shv=1 var=1", seenB.get(0));
        // auto_inv_100=yes in A only; each failure_route sees its own $avp and its own branch's 486
        assertEquals(List.of("SIP/2.0 100 trying -- your call is important to us",
                "SIP/2.0 480 Temporarily Unavailable | X-Side: A 486"), seenA.subList(3, seenA.size()));
        assertEquals(List.of("SIP/2.0 480 Temporarily Unavailable | X-Side: B 486"), seenB.subList(1, seenB.size()));
        // the identical INVITE was a new transaction in each proxy: the callee got one from each
        assertEquals(2, invitesAtUas.size(), String.join("\n----\n", invitesAtUas));
        assertTrue(invitesAtUas.stream().anyMatch(m -> m.contains("Via: SIP/2.0/UDP " + A)));
        assertTrue(invitesAtUas.stream().anyMatch(m -> m.contains("Via: SIP/2.0/UDP " + B)));
    }

    private interface Io<T> {
        T run() throws Exception;
    }

    private static <T> T unchecked(Io<T> io) {
        try {
            return io.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
