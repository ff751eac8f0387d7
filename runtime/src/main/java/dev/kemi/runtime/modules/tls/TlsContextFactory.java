package dev.kemi.runtime.modules.tls;

import io.netty.handler.ssl.CipherSuiteConverter;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** Builds the JDK-provider SslContext of one profile (certificate, key, CA list, method, ciphers, verification). */
final class TlsContextFactory {
    private static final List<String> TLS13_SUITES = List.of("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256",
            "TLS_CHACHA20_POLY1305_SHA256");

    private TlsContextFactory() {}

    /** @throws IllegalArgumentException naming the profile's section when a file or value is unusable */
    static SslContext build(TlsProfile p) {
        try {
            SslContextBuilder b;
            boolean haveCert = p.certificate() != null && Files.isReadable(Path.of(p.certificate()));
            if (p.server()) {
                if (!haveCert) throw new IllegalArgumentException("certificate " + p.certificate() + " cannot be read");
                b = SslContextBuilder.forServer(new File(p.certificate()), new File(key(p)));
                b.clientAuth(!p.verifyCertificate() ? ClientAuth.NONE
                        : p.requireCertificate() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
            } else {
                b = SslContextBuilder.forClient();
                // OpenSSL checks no host name; a client certificate is presented when its file exists
                b.endpointIdentificationAlgorithm(null);
                if (haveCert) b.keyManager(new File(p.certificate()), new File(key(p)));
            }
            b.sslProvider(SslProvider.JDK).protocols(TlsMethods.protocols(p.method()));
            b.trustManager(new VerifyRecorder(trusted(p.caList()), p.verifyCertificate()));
            if (p.cipherList() != null && !p.cipherList().isBlank()) b.ciphers(ciphers(p.cipherList()));
            return b.build();
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException(p.where() + ": tls profile " + p.name() + ": " + e.getMessage(), e);
        }
    }

    private static String key(TlsProfile p) {
        return p.privateKey() != null ? p.privateKey() : p.certificate();
    }

    /** The trust manager of a PEM CA list, or null without one. */
    private static X509TrustManager trusted(String caList) throws IOException, GeneralSecurityException {
        if (caList == null) return null;
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(Path.of(caList))) {
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) ks.setCertificateEntry("ca" + i++, c);
            if (i == 0) throw new IllegalArgumentException("ca_list " + caList + " holds no certificate");
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        for (TrustManager tm : tmf.getTrustManagers()) if (tm instanceof X509TrustManager x) return x;
        throw new IllegalStateException("no X509 trust manager");
    }

    /**
     * cipher_list as a ':'-separated list of cipher suites, OpenSSL names (ECDHE-RSA-AES128-GCM-SHA256)
     * or JDK ones; OpenSSL's keywords and operators (HIGH, !aNULL, @STRENGTH) are refused.
     */
    static List<String> ciphers(String list) {
        List<String> out = new ArrayList<>();
        for (String c : list.split("[:, ]+")) {
            if (c.isEmpty()) continue;
            if (c.startsWith("TLS_") || c.startsWith("SSL_")) {
                out.add(c);
                continue;
            }
            String java = CipherSuiteConverter.toJava(c, "TLS");
            if (java == null || c.startsWith("!") || c.startsWith("-") || c.startsWith("+") || c.startsWith("@")) {
                throw new IllegalArgumentException("cipher_list: '" + c + "' is not a cipher suite name"
                        + " (OpenSSL cipher-string keywords and operators are not implemented; list the suites)");
            }
            out.add(java);
        }
        out.addAll(TLS13_SUITES); // as OpenSSL, whose cipher_list leaves the TLSv1.3 suites alone
        return out;
    }
}
