package dev.kemi.tests.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.tests.Kamailio;
import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.SipRequests;
import dev.kemi.tests.SipWire;
import dev.kemi.tests.TcpSipClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same cfg and tls.cfg on Kamailio 5.6.3 (its tls module, OpenSSL) and on our proxy, the same
 * certificates: what the $tls_* variables say about the same clients, SNI profile choice,
 * verification, and plaintext on the TLS port. Kamailio on 127.0.29.3, ours on 127.0.29.4.
 */
class TlsMatchesKamailioTest {
    static final String KAM_IP = "127.0.29.3";
    static final String OUR_IP = "127.0.29.4";
    @TempDir
    static Path dir;
    static TestCerts.Issued ca;
    static TestCerts.Issued client;
    static Kamailio kamailio;
    static int kamPort;
    static ProxyUnderTest ours;

    static final String CFG = """
            enable_tls=yes
            children=2
            listen=udp:IP:{port}
            listen=tls:IP:{port}
            loadmodule "tls.so"
            loadmodule "pv.so"
            loadmodule "sl.so"
            loadmodule "tm.so"
            loadmodule "rr.so"
            loadmodule "textops.so"
            loadmodule "kex.so"
            modparam("tls", "config", "{dir}/tls.cfg")
            request_route {
                if (is_method("OPTIONS")) {
                    append_to_reply("X-TLS: v=$tls_version;c=$tls_cipher_info;b=$tls_cipher_bits;cn=$tls_peer_subject_cn;ver=$tls_peer_verified;sni=$tls_peer_server_name;my=$tls_my_subject_cn\\r\\n");
                    append_to_reply("X-Peer: $tls_peer_subject|$tls_peer_issuer|$tls_peer_serial|$tls_peer_version|$tls_peer_issuer_cn|$tls_peer_subject_organization|$tls_peer_subject_unit|$tls_peer_subject_country|$tls_peer_subject_state|$tls_peer_subject_locality|$tls(p_subject_line)|$tls(p_issuer_line)|$tls(m_subject_line)\\r\\n");
                    append_to_reply("X-Mine: $tls_my_subject|$tls_my_issuer|$tls_my_version|$tls_my_san_ip|$tls_my_san_hostname|$tls_peer_notAfter|$tls_peer_expired|$tls_peer_selfsigned|$tls_peer_revoked\\r\\n");
                    if (is_peer_verified()) append_to_reply("X-Verified: yes\\r\\n");
                    sl_send_reply("200", "OK");
                    exit;
                }
                sl_send_reply("403", "Forbidden");
            }
            """;

    @BeforeAll
    static void start() throws Exception {
        if (!Kamailio.installed()) {
            assertNotEquals("true", System.getenv("CI"), "kamailio 5.6.3 is required under CI");
        }
        assertTrue(Kamailio.installed(), "kamailio 5.6.3 with its tls module is not installed");
        ca = TestCerts.ca(dir, "ca");
        TestCerts.Issued server = TestCerts.leaf(dir, "server", ca, "proxy.kemi.test", KAM_IP);
        TestCerts.Issued alt = TestCerts.leaf(dir, "alt", ca, "alt.kemi.test", null);
        client = TestCerts.leaf(dir, "client", ca, "alice", null);
        String tlsCfg = """
                [server:default]
                method = TLSv1.2+
                verify_certificate = yes
                require_certificate = no
                certificate = %s
                private_key = %s
                ca_list = %s

                [server:any]
                method = TLSv1.2+
                server_name = alt.kemi.test
                certificate = %s
                private_key = %s

                [client:default]
                method = TLSv1.2+
                verify_certificate = yes
                require_certificate = yes
                ca_list = %s
                """.formatted(server.certFile(), server.keyFile(), ca.certFile(), alt.certFile(), alt.keyFile(), ca.certFile());
        Path kdir = Files.createDirectories(dir.resolve("kamailio"));
        kamPort = ProxyUnderTest.freePort();
        Files.writeString(kdir.resolve("tls.cfg"), tlsCfg);
        Path kcfg = kdir.resolve("kamailio.cfg");
        Files.writeString(kcfg, CFG.replace("IP", KAM_IP).replace("{port}", Integer.toString(kamPort)).replace("{dir}", kdir.toString()));
        kamailio = Kamailio.startBound(kcfg, kdir, List.of(new InetSocketAddress(KAM_IP, kamPort)));
        ours = ProxyUnderTest.start(CFG.replace("IP", OUR_IP), Map.of("tls.cfg", tlsCfg));
    }

    @AfterAll
    static void stop() {
        if (ours != null) ours.close();
        if (kamailio != null) kamailio.close();
    }

    static InetSocketAddress kam() {
        return new InetSocketAddress(KAM_IP, kamPort);
    }

    static InetSocketAddress our() {
        return new InetSocketAddress(OUR_IP, ours.port());
    }

    static SSLSocket connect(InetSocketAddress to, SSLContext ctx, String sni, String... suites) throws IOException {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket();
        s.connect(to, 5000);
        s.setSoTimeout(5000);
        SSLParameters p = s.getSSLParameters();
        if (sni != null) p.setServerNames(List.of(new SNIHostName(sni)));
        if (suites.length > 0) {
            p.setCipherSuites(suites);
            p.setProtocols(new String[] {"TLSv1.2"});
        }
        s.setSSLParameters(p);
        s.startHandshake();
        return s;
    }

    /** OPTIONS over a new connection; the reply's X-* headers, the local IP replaced. */
    static String ask(InetSocketAddress to, SSLContext ctx, String sni, String... suites) throws IOException {
        try (SSLSocket s = connect(to, ctx, sni, suites); TcpSipClient c = new TcpSipClient(s, "TLS")) {
            c.send(SipRequests.request("OPTIONS", "sip:" + to.getAddress().getHostAddress() + ":" + to.getPort() + ";transport=tls", c, SipRequests.callId()));
            SipWire r = c.expect();
            assertEquals(200, r.status(), r.text());
            return ("X-TLS: " + r.header("X-TLS") + "\nX-Peer: " + r.header("X-Peer") + "\nX-Mine: " + r.header("X-Mine")
                    + "\nX-Verified: " + r.header("X-Verified") + "\n").replace(KAM_IP, "IP").replace(OUR_IP, "IP");
        }
    }

    static void same(SSLContext ctx, String sni, String... suites) throws IOException {
        String k = ask(kam(), ctx, sni, suites);
        String o = ask(our(), ctx, sni, suites);
        assertEquals(k, o, "kamailio:\n" + k + "ours:\n" + o);
    }

    @Test
    void clientWithCertificateOverTls12() throws IOException {
        same(client.context(ca), null, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
    }

    @Test
    void clientWithCertificateOverTls13() throws IOException {
        same(client.context(ca), null);
    }

    @Test
    void clientWithoutCertificate() throws IOException {
        same(TestCerts.clientTrusting(ca), null, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    }

    @Test
    void sniPicksTheAnyProfile() throws IOException {
        same(TestCerts.clientTrusting(ca), "alt.kemi.test", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    }

    @Test
    void plaintextOnTheTlsPortIsClosed() throws IOException {
        for (InetSocketAddress a : List.of(kam(), our())) {
            try (Socket plain = new Socket(a.getAddress(), a.getPort())) {
                plain.getOutputStream().write(("OPTIONS sip:" + a.getAddress().getHostAddress() + " SIP/2.0\r\nContent-Length: 0\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                plain.setSoTimeout(5000);
                assertEquals(-1, plain.getInputStream().read(), a + " closes a plaintext connection on its TLS port");
            }
        }
        assertTrue(kamailio.isAlive());
        same(client.context(ca), null);
    }
}
