package dev.kemi.tests.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A test CA and certificates it signs, written as PEM files (PKCS#8 keys) for the proxies and test peers. */
public final class TestCerts {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A certificate and its key, with the PEM files written. */
    public record Issued(X509Certificate cert, PrivateKey key, Path certFile, Path keyFile) {
        /** A client/server context presenting this certificate and trusting {@code ca}. */
        SSLContext context(Issued ca) {
            return context(ca, ca);
        }

        /** Presenting this certificate with its issuer, trusting {@code trust}. */
        SSLContext context(Issued issuer, Issued trust) {
            Issued ca = issuer;
            try {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("me", key, new char[0], new X509Certificate[] {cert, ca.cert});
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, new char[0]);
                SSLContext c = SSLContext.getInstance("TLS");
                javax.net.ssl.X509KeyManager km = (javax.net.ssl.X509KeyManager) kmf.getKeyManagers()[0];
                c.init(new javax.net.ssl.KeyManager[] {new AlwaysPresent(km)}, trusting(trust).getTrustManagers(), new SecureRandom());
                return c;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Presents its certificate whatever CAs the server asks for (to test a server's refusal). */
    private static final class AlwaysPresent extends javax.net.ssl.X509ExtendedKeyManager {
        private final javax.net.ssl.X509KeyManager km;

        AlwaysPresent(javax.net.ssl.X509KeyManager km) {
            this.km = km;
        }

        @Override public String[] getClientAliases(String t, java.security.Principal[] i) { return new String[] {"me"}; }
        @Override public String chooseClientAlias(String[] t, java.security.Principal[] i, java.net.Socket s) { return "me"; }
        @Override public String chooseEngineClientAlias(String[] t, java.security.Principal[] i, javax.net.ssl.SSLEngine e) { return "me"; }
        @Override public String[] getServerAliases(String t, java.security.Principal[] i) { return new String[] {"me"}; }
        @Override public String chooseServerAlias(String t, java.security.Principal[] i, java.net.Socket s) { return "me"; }
        @Override public String chooseEngineServerAlias(String t, java.security.Principal[] i, javax.net.ssl.SSLEngine e) { return "me"; }
        @Override public X509Certificate[] getCertificateChain(String a) { return km.getCertificateChain(a); }
        @Override public PrivateKey getPrivateKey(String a) { return km.getPrivateKey(a); }
    }

    static TrustManagerFactory trusting(Issued ca) throws GeneralSecurityException, IOException {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", ca.cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        return tmf;
    }

    /** A context with no certificate of its own, trusting {@code ca}. */
    public static SSLContext clientTrusting(Issued ca) {
        try {
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, trusting(ca).getTrustManagers(), new SecureRandom());
            return c;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private TestCerts() {}

    public static Issued ca(Path dir, String name) {
        KeyPair kp = keyPair();
        return write(dir, name, sign("CN=" + name + ",O=Kemi Test CA,C=DE", kp, null, kp.getPrivate(), true, null, Duration.ofDays(30)), kp.getPrivate());
    }

    /** A leaf signed by ca, with subject "CN=cn,OU=unit,O=Kemi Test,L=Berlin,ST=Berlin,C=DE" and SAN ip (may be null). */
    public static Issued leaf(Path dir, String name, Issued ca, String cn, String ip) {
        return leaf(dir, name, ca, cn, ip, Duration.ofDays(30));
    }

    static Issued leaf(Path dir, String name, Issued ca, String cn, String ip, Duration validity) {
        KeyPair kp = keyPair();
        X509Certificate c = sign("CN=" + cn + ",OU=Voice,O=Kemi Test,L=Berlin,ST=Berlin,C=DE", kp, ca.cert,
                ca.key, false, ip, validity);
        return write(dir, name, c, kp.getPrivate());
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(String subject, KeyPair kp, X509Certificate issuer, PrivateKey issuerKey,
                                        boolean ca, String ip, Duration validity) {
        try {
            Instant now = Instant.now();
            // a negative validity gives an expired certificate
            Instant from = validity.isNegative() ? now.minus(Duration.ofDays(10)) : now.minus(Duration.ofHours(1));
            Instant to = validity.isNegative() ? now.plus(validity) : now.plus(validity);
            X500Name issuerName = issuer == null ? new X500Name(subject) : X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName, BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(from), Date.from(to), new X500Name(subject), kp.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (ip != null) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.iPAddress, InetAddress.getByName(ip).getHostAddress()),
                        new GeneralName(GeneralName.dNSName, "proxy.kemi.test")}));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Issued write(Path dir, String name, X509Certificate c, PrivateKey k) {
        try {
            Path cert = dir.resolve(name + ".pem");
            Path key = dir.resolve(name + ".key");
            Files.writeString(cert, pem(c));
            Files.writeString(key, pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k, null).generate()));
            return new Issued(c, k, cert, key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pem(Object o) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(o);
        }
        return w.toString();
    }
}
