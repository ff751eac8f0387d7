package dev.kemi.runtime.modules.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Checks the peer's chain against ca_list as OpenSSL does: the outcome is kept in the session
 * ($tls_peer_verified) and fails the handshake only when verify_certificate asks for it.
 */
final class VerifyRecorder extends X509ExtendedTrustManager {
    /** Session value: the {@link Outcome} of the peer's certificate. */
    static final String VERIFIED = "kemi.tls.peer_verified";

    /** What OpenSSL's verify result would be: X509_V_OK, ..._CERT_HAS_EXPIRED, ..._DEPTH_ZERO_SELF_SIGNED_CERT, other. */
    enum Outcome { OK, EXPIRED, SELF_SIGNED, OTHER }
    private final X509TrustManager trusted;
    private final boolean enforce;

    /** @param trusted the ca_list's trust manager, null when there is no ca_list (nothing verifies) */
    VerifyRecorder(X509TrustManager trusted, boolean enforce) {
        this.trusted = trusted;
        this.enforce = enforce;
    }

    private void check(X509Certificate[] chain, String authType, boolean client, SSLEngine engine) throws CertificateException {
        CertificateException failed = null;
        if (trusted == null) {
            failed = new CertificateException("no ca_list: the peer's certificate cannot be verified");
        } else {
            try {
                if (client) trusted.checkClientTrusted(chain, authType);
                else trusted.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                failed = e;
            }
        }
        SSLSession s = engine == null ? null : engine.getHandshakeSession();
        if (s != null) s.putValue(VERIFIED, failed == null ? Outcome.OK : outcome(chain));
        if (failed != null && enforce) throw failed;
    }

    private static Outcome outcome(X509Certificate[] chain) {
        if (chain.length == 1 && chain[0].getSubjectX500Principal().equals(chain[0].getIssuerX500Principal())) return Outcome.SELF_SIGNED;
        try {
            for (X509Certificate c : chain) c.checkValidity();
        } catch (java.security.cert.CertificateExpiredException e) {
            return Outcome.EXPIRED;
        } catch (java.security.cert.CertificateNotYetValidException e) {
            return Outcome.OTHER;
        }
        return Outcome.OTHER;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain, authType, true, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain, authType, false, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain, authType, true, null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain, authType, false, null);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, authType, true, null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, authType, false, null);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return trusted == null ? new X509Certificate[0] : trusted.getAcceptedIssuers();
    }
}
