package dev.kemi.tests.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.SipRequests;
import dev.kemi.tests.SipWire;
import dev.kemi.tests.TcpSipClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * listen=tls with the tls module on our proxy: real TLS peers (JDK sockets) on 127.0.29.0/24,
 * certificates made here. Asserts on the wire and on RPC output.
 */
class TlsTransportTest {
    static final String IP = "127.0.29.1";
    static final String UAS_IP = "127.0.29.2";
    @TempDir
    static Path dir;
    static TestCerts.Issued ca;
    static TestCerts.Issued server;
    static TestCerts.Issued alt;
    static TestCerts.Issued client;
    static ProxyUnderTest proxy;

    static final String CFG = """
            enable_tls=yes
            listen=udp:127.0.29.1:{port}
            listen=tls:127.0.29.1:{port}
            loadmodule "tls.so"
            loadmodule "sl.so"
            loadmodule "tm.so"
            loadmodule "rr.so"
            loadmodule "textops.so"
            loadmodule "kex.so"
            modparam("tls", "config", "{dir}/tls.cfg")
            request_route {
                if (is_method("OPTIONS") && uri==myself) {
                    append_to_reply("X-TLS: v=$tls_version;c=$tls_cipher_info;b=$tls_cipher_bits;cn=$tls_peer_subject_cn;ver=$tls_peer_verified;sni=$tls_peer_server_name;my=$tls_my_subject_cn\\r\\n");
                    append_to_reply("X-Peer: $tls(p_subject_line)|$tls(p_issuer_line)|$tls_peer_serial|$tls_peer_version|$tls_peer_subject_organization|$tls_peer_san_ip|$pr|$proto\\r\\n");
                    if (is_peer_verified()) append_to_reply("X-Verified: yes\\r\\n");
                    sl_send_reply("200", "OK");
                    exit;
                }
                record_route();
                t_relay();
            }
            """;

    @BeforeAll
    static void start() throws IOException {
        ca = TestCerts.ca(dir, "ca");
        server = TestCerts.leaf(dir, "server", ca, "proxy.kemi.test", IP);
        alt = TestCerts.leaf(dir, "alt", ca, "alt.kemi.test", IP);
        client = TestCerts.leaf(dir, "client", ca, "alice", null);
        Files.copy(server.certFile(), dir.resolve("current.pem"));
        Files.copy(server.keyFile(), dir.resolve("current.key"));
        String tlsCfg = """
                # test profiles
                [server:default]
                method = TLSv1.2+
                verify_certificate = yes
                require_certificate = no
                private_key = %s/current.key
                certificate = %s/current.pem
                ca_list = %s

                [server:any]
                method = TLSv1.2+
                server_name = alt.kemi.test
                certificate = %s
                private_key = %s
                ca_list = %s

                [client:default]
                method = TLSv1.2+
                verify_certificate = yes
                require_certificate = yes
                ca_list = "%s"
                """.formatted(dir, dir, ca.certFile(), alt.certFile(), alt.keyFile(), ca.certFile(), ca.certFile());
        proxy = ProxyUnderTest.start(CFG, Map.of("tls.cfg", tlsCfg));
    }

    @AfterAll
    static void stop() {
        if (proxy != null) proxy.close();
    }

    static SSLSocket connect(SSLContext ctx, String sni) throws IOException {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket();
        s.connect(new InetSocketAddress(IP, proxy.port()), 5000);
        s.setSoTimeout(5000);
        if (sni != null) {
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(sni)));
            s.setSSLParameters(p);
        }
        s.startHandshake();
        return s;
    }

    static SipWire options(TcpSipClient c) {
        c.send(SipRequests.request("OPTIONS", "sip:" + IP + ":" + proxy.port() + ";transport=tls", c, SipRequests.callId()));
        return c.expect();
    }

    static Object rpc(String method, Object... params) {
        return proxy.proxy().rpc().call(method, List.of(params));
    }

    @Test
    void optionsOverTlsWithClientCertificateSeesTheSessionInPvs() throws IOException {
        try (SSLSocket s = connect(client.context(ca), null); TcpSipClient c = new TcpSipClient(s, "TLS")) {
            SipWire r = options(c);
            assertEquals(200, r.status());
            String v = r.header("X-TLS");
            assertEquals("v=" + s.getSession().getProtocol() + ";c=" + opensslName(s.getSession().getCipherSuite())
                    + ";b=" + (s.getSession().getCipherSuite().contains("AES_256") ? 256 : 128)
                    + ";cn=alice;ver=1;sni=<null>;my=proxy.kemi.test", v);
            String peer = r.header("X-Peer");
            BigInteger serial = client.cert().getSerialNumber();
            assertEquals("/CN=alice/OU=Voice/O=Kemi Test/L=Berlin/ST=Berlin/C=DE|/CN=ca/O=Kemi Test CA/C=DE|" + serial + "|2|Kemi Test|<null>|tls|tls", peer);
            assertEquals("yes", r.header("X-Verified"));
            assertTrue(r.header("Via").contains("SIP/2.0/TLS"), r.header("Via"));
        }
    }

    @Test
    void withoutClientCertificateTheSessionIsNotVerified() throws IOException {
        try (SSLSocket s = connect(TestCerts.clientTrusting(ca), null); TcpSipClient c = new TcpSipClient(s, "TLS")) {
            SipWire r = options(c);
            assertEquals(200, r.status());
            assertTrue(r.header("X-TLS").contains(";cn=<null>;ver=0;"), r.header("X-TLS"));
            assertEquals(null, r.header("X-Verified"));
            assertEquals("proxy.kemi.test", cn((X509Certificate) s.getSession().getPeerCertificates()[0]));
        }
    }

    @Test
    void sniPicksTheServerNameProfile() throws IOException {
        try (SSLSocket s = connect(TestCerts.clientTrusting(ca), "alt.kemi.test"); TcpSipClient c = new TcpSipClient(s, "TLS")) {
            assertEquals("alt.kemi.test", cn((X509Certificate) s.getSession().getPeerCertificates()[0]));
            SipWire r = options(c);
            assertTrue(r.header("X-TLS").contains(";sni=alt.kemi.test;my=alt.kemi.test"), r.header("X-TLS"));
        }
    }

    @Test
    void plaintextAndFailedHandshakesCostOneConnectionEachAndAreCounted() throws Exception {
        long plainBefore = stat("tls:plaintext_refused");
        long failedBefore = stat("tls:handshake_failures");
        // plaintext SIP on the TLS port
        try (Socket plain = new Socket(IP, proxy.port())) {
            plain.getOutputStream().write(("OPTIONS sip:" + IP + " SIP/2.0\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            plain.setSoTimeout(5000);
            assertEquals(-1, plain.getInputStream().read(), "the proxy closes a plaintext connection on its TLS port");
        }
        // a client that trusts another CA: its handshake fails
        TestCerts.Issued otherCa = TestCerts.ca(dir, "other-ca");
        assertThrows(SSLException.class, () -> connect(TestCerts.clientTrusting(otherCa), null).close());
        // a client presenting a certificate of a CA the proxy's ca_list does not have (verify_certificate = yes)
        TestCerts.Issued stranger = TestCerts.leaf(dir, "stranger", otherCa, "mallory", null);
        SSLContext strangerCtx = stranger.context(otherCa, ca);
        boolean refused;
        try (SSLSocket s = connect(strangerCtx, null)) {
            refused = new TcpSipClient(s, "TLS").closedByPeer(Duration.ofSeconds(5)); // TLSv1.3: refused after the client's Finished
        } catch (SSLException | SocketException e) {
            refused = true; // the proxy's alert or its close can reach the client before the client's Finished is written
        }
        assertTrue(refused, "a client certificate of an unknown CA is refused");
        awaitStat("tls:plaintext_refused", plainBefore + 1);
        awaitStat("tls:handshake_failures", failedBefore + 3);
        // the proxy still serves TLS
        try (SSLSocket s = connect(client.context(ca), null); TcpSipClient c = new TcpSipClient(s, "TLS")) {
            assertEquals(200, options(c).status());
        }
    }

    @Test
    void tlsListAndInfoShowOpenConnections() throws IOException {
        try (SSLSocket s = connect(client.context(ca), null); TcpSipClient c = new TcpSipClient(s, "TLS")) {
            assertEquals(200, options(c).status());
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> list = (List<Map<String, Object>>) rpc("tls.list");
            Map<String, Object> mine = list.stream().filter(m -> Integer.valueOf(s.getLocalPort()).equals(m.get("src_port"))).findFirst().orElseThrow();
            assertEquals(s.getLocalAddress().getHostAddress(), mine.get("src_ip"));
            assertEquals(IP, mine.get("dst_ip"));
            assertEquals(proxy.port(), mine.get("dst_port"));
            assertEquals("established", mine.get("state"));
            assertTrue(mine.get("cipher").toString().startsWith(opensslName(s.getSession().getCipherSuite())), mine.toString());
            @SuppressWarnings("unchecked")
            Map<String, Object> info = (Map<String, Object>) rpc("tls.info");
            assertEquals(2048, info.get("max_connections"));
            assertTrue((Integer) info.get("opened_connections") >= 1, info.toString());
        }
    }

    @Test
    void reloadServesNewCertificatesAndKeepsOpenConnections() throws IOException {
        try (SSLSocket before = connect(client.context(ca), null); TcpSipClient c = new TcpSipClient(before, "TLS")) {
            assertEquals(200, options(c).status());
            TestCerts.Issued renewed = TestCerts.leaf(dir, "renewed", ca, "proxy.kemi.test", IP);
            synchronized (TlsTransportTest.class) {
                Files.copy(renewed.certFile(), dir.resolve("current.pem"), StandardCopyOption.REPLACE_EXISTING);
                Files.copy(renewed.keyFile(), dir.resolve("current.key"), StandardCopyOption.REPLACE_EXISTING);
                assertEquals("Ok. TLS configuration reloaded.", rpc("tls.reload"));
            }
            try (SSLSocket after = connect(TestCerts.clientTrusting(ca), null)) {
                assertEquals(renewed.cert().getSerialNumber(), ((X509Certificate) after.getSession().getPeerCertificates()[0]).getSerialNumber());
            }
            // the connection opened before the reload keeps working on its session
            assertEquals(200, options(c).status());
        }
    }

    @Test
    void aBrokenReloadIsRefusedAndTheOldProfilesServe() throws IOException {
        Path cfg = proxy.cfgFile().resolveSibling("tls.cfg");
        String good = Files.readString(cfg);
        synchronized (TlsTransportTest.class) {
            Files.writeString(cfg, good + "\n[client:127.0.29.9:5061]\nverify_depth = 3\n");
            try {
                dev.kemi.runtime.rpc.RpcException e = assertThrows(dev.kemi.runtime.rpc.RpcException.class, () -> rpc("tls.reload"));
                assertEquals(500, e.code());
            } finally {
                Files.writeString(cfg, good);
            }
        }
        try (SSLSocket s = connect(client.context(ca), null); TcpSipClient c = new TcpSipClient(s, "TLS")) {
            assertEquals(200, options(c).status());
        }
    }

    /** A MESSAGE to a ;transport=tls target: the proxy opens TLS with its client profile, Via TLS, Record-Route ;transport=tls. */
    @Test
    void relaysToATransportTlsTargetOverTls() throws Exception {
        SSLContext uasCtx = TestCerts.leaf(dir, "uas", ca, "uas.kemi.test", UAS_IP).context(ca);
        try (SSLServerSocket ss = (SSLServerSocket) uasCtx.getServerSocketFactory().createServerSocket(0, 5, InetAddress.getByName(UAS_IP))) {
            ss.setNeedClientAuth(false);
            CompletableFuture<String> atUas = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket in = (SSLSocket) ss.accept(); TcpSipClient uas = new TcpSipClient(in, "TLS")) {
                    String m = uas.receive(Duration.ofSeconds(10));
                    SipWire w = SipWire.parse(m);
                    StringBuilder reply = new StringBuilder("SIP/2.0 200 OK\r\n");
                    for (String via : w.headers("Via")) reply.append("Via: ").append(via).append("\r\n");
                    reply.append("From: ").append(w.header("From")).append("\r\nTo: ").append(w.header("To")).append(";tag=uas\r\n")
                            .append("Call-ID: ").append(w.header("Call-ID")).append("\r\nCSeq: ").append(w.header("CSeq"))
                            .append("\r\nContent-Length: 0\r\n\r\n");
                    uas.send(reply.toString());
                    uas.receive(Duration.ofMillis(500)); // keep the connection until the reply is read
                    return m;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (SSLSocket s = connect(client.context(ca), null); TcpSipClient c = new TcpSipClient(s, "TLS")) {
                String target = "sip:bob@" + UAS_IP + ":" + ss.getLocalPort() + ";transport=tls";
                c.send(SipRequests.request("MESSAGE", target, c, SipRequests.callId()));
                SipWire r = c.expect();
                while (r.status() < 200) r = c.expect();
                assertEquals(200, r.status());
                SipWire atBob = SipWire.parse(atUas.get(10, TimeUnit.SECONDS));
                assertTrue(atBob.headers("Via").get(0).startsWith("SIP/2.0/TLS " + IP + ":" + proxy.port() + ";branch="), atBob.headers("Via").toString());
                assertTrue(atBob.header("Record-Route").startsWith("<sip:" + IP + ":" + proxy.port() + ";transport=tls;lr;ftag="), atBob.header("Record-Route"));
            }
        }
    }

    private static long stat(String name) {
        @SuppressWarnings("unchecked")
        List<String> lines = (List<String>) rpc("stats.get_statistics", name);
        for (String l : lines) {
            if (l.startsWith(name + " = ")) return Long.parseLong(l.substring(name.length() + 3).trim());
        }
        throw new AssertionError("no statistic " + name + " in " + lines);
    }

    private static void awaitStat(String name, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (stat(name) < atLeast) {
            if (System.nanoTime() > deadline) throw new AssertionError(name + " = " + stat(name) + ", expected >= " + atLeast);
            Thread.sleep(20); // polling a counter the event loop updates: nothing to await
        }
    }

    static String cn(X509Certificate c) {
        for (String part : c.getSubjectX500Principal().getName().split(",")) if (part.startsWith("CN=")) return part.substring(3);
        return null;
    }

    static String opensslName(String java) {
        return java.startsWith("TLS_AES_") || java.startsWith("TLS_CHACHA20_") ? java : io.netty.handler.ssl.CipherSuiteConverter.toOpenSsl(java, false);
    }
}
