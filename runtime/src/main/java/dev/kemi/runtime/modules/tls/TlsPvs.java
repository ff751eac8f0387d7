package dev.kemi.runtime.modules.tls;

import dev.kemi.api.Pv;
import dev.kemi.api.PvSpec;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.transport.Protocol;
import dev.kemi.runtime.transport.ReceiveInfo;
import dev.kemi.runtime.transport.tls.TlsChannels;
import io.netty.handler.ssl.CipherSuiteConverter;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The $tls_* pseudo-variables of Kamailio 5.6's tls_select.c, read from the session of the TLS
 * connection the message came over; $null when it did not come over TLS or the value is absent.
 */
final class TlsPvs {
    /** ASN1_TIME_print's form: "Mar  1 12:00:00 2026 GMT". */
    private static final DateTimeFormatter ASN1_TIME =
            DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss yyyy 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final Map<String, String> COMPONENTS = Map.of("cn", "CN", "locality", "L", "country", "C",
            "state", "ST", "organization", "O", "unit", "OU", "uid", "UID");
    private static final Map<String, Integer> SAN = Map.of("email", 1, "hostname", 2, "uri", 6, "ip", 7);

    private final TlsModule module;

    TlsPvs(TlsModule module) {
        this.module = module;
    }

    static Set<String> names() {
        java.util.HashSet<String> n = new java.util.HashSet<>(List.of("tls_version", "tls_cipher_info", "tls_cipher_bits",
                "tls_peer_verified", "tls_peer_revoked", "tls_peer_expired", "tls_peer_selfsigned", "tls_peer_notBefore",
                "tls_peer_notAfter", "tls_peer_server_name", "tls_peer_raw_cert", "tls_my_raw_cert", "tls"));
        for (String who : List.of("peer", "my")) {
            n.add("tls_" + who + "_version");
            n.add("tls_" + who + "_serial");
            n.add("tls_" + who + "_subject");
            n.add("tls_" + who + "_issuer");
            for (String c : COMPONENTS.keySet()) {
                n.add("tls_" + who + "_subject_" + c);
                if (!c.equals("uid")) n.add("tls_" + who + "_issuer_" + c);
            }
            for (String s : SAN.keySet()) n.add("tls_" + who + "_san_" + s);
        }
        return Set.copyOf(n);
    }

    Pv resolve(PvSpec spec) {
        String name = spec.name();
        if (name.equals("tls")) return line(spec.param());
        Function<SSLSession, Object> f = switch (name) {
            case "tls_version" -> SSLSession::getProtocol;
            case "tls_cipher_info" -> s -> openSslName(s.getCipherSuite());
            case "tls_cipher_bits" -> s -> bits(s.getCipherSuite());
            case "tls_peer_verified" -> s -> peer(s) != null && verify(s) == VerifyRecorder.Outcome.OK ? 1 : 0;
            case "tls_peer_revoked" -> s -> 0; // no CRL checking: nothing is known revoked
            case "tls_peer_expired" -> s -> peer(s) != null && verify(s) == VerifyRecorder.Outcome.EXPIRED ? 1 : 0;
            case "tls_peer_selfsigned" -> s -> peer(s) != null && verify(s) == VerifyRecorder.Outcome.SELF_SIGNED ? 1 : 0;
            case "tls_peer_notBefore" -> s -> cert(s, false, c -> ASN1_TIME.format(c.getNotBefore().toInstant()));
            case "tls_peer_notAfter" -> s -> cert(s, false, c -> ASN1_TIME.format(c.getNotAfter().toInstant()));
            case "tls_peer_server_name" -> TlsPvs::serverName;
            case "tls_peer_raw_cert" -> s -> cert(s, false, TlsPvs::pem);
            case "tls_my_raw_cert" -> s -> cert(s, true, TlsPvs::pem);
            default -> certField(name);
        };
        if (f == null) throw new IllegalArgumentException("unknown pseudo-variable $" + name);
        return ctx -> {
            SSLSession s = session((MessageContext) ctx);
            return s == null ? null : f.apply(s);
        };
    }

    /** $tls(m_subject_line), $tls(p_issuer_line) ...: X509_NAME_oneline of my or the peer's certificate. */
    private Pv line(String which) {
        if (which == null) throw new IllegalArgumentException("$tls needs a name: m_subject_line, m_issuer_line, p_subject_line, p_issuer_line");
        boolean local = switch (which) {
            case "m_subject_line", "m_issuer_line" -> true;
            case "p_subject_line", "p_issuer_line" -> false;
            default -> throw new IllegalArgumentException("unknown PV tls name " + which);
        };
        boolean issuer = which.endsWith("issuer_line");
        return ctx -> {
            SSLSession s = session((MessageContext) ctx);
            return s == null ? null : cert(s, local, c -> oneline((issuer ? c.getIssuerX500Principal() : c.getSubjectX500Principal()).getName()));
        };
    }

    private SSLSession session(MessageContext ctx) {
        ReceiveInfo r = ctx.received();
        if (r == null || r.socket() == null || r.socket().proto() != Protocol.TLS) return null;
        TlsChannels channels = module.channels();
        TlsChannels.Connection c = channels == null ? null : channels.connection(r.connectionId());
        return c == null ? null : c.session();
    }

    /** tls_{peer,my}_{version,serial,subject,issuer,subject_cn,...,san_*}. */
    private static Function<SSLSession, Object> certField(String name) {
        boolean local;
        String rest;
        if (name.startsWith("tls_peer_")) {
            local = false;
            rest = name.substring(9);
        } else if (name.startsWith("tls_my_")) {
            local = true;
            rest = name.substring(7);
        } else {
            return null;
        }
        if (rest.equals("version")) return s -> cert(s, local, c -> Integer.toString(c.getVersion() - 1));
        if (rest.equals("serial")) return s -> cert(s, local, c -> c.getSerialNumber().toString());
        // Kamailio 5.6 (and 6.0) resolve these through pv_comp with no component: always $null; $tls(p_subject_line) has the text
        if (rest.equals("subject") || rest.equals("issuer")) return s -> null;
        for (String part : List.of("subject_", "issuer_")) {
            if (!rest.startsWith(part)) continue;
            String type = COMPONENTS.get(rest.substring(part.length()));
            if (type == null) return null;
            boolean issuer = part.equals("issuer_");
            return s -> cert(s, local, c -> component((issuer ? c.getIssuerX500Principal() : c.getSubjectX500Principal()).getName(), type));
        }
        if (rest.startsWith("san_")) {
            Integer type = SAN.get(rest.substring(4));
            if (type == null) return null;
            return s -> cert(s, local, c -> san(c, type));
        }
        return null;
    }

    private static X509Certificate peer(SSLSession s) {
        try {
            Certificate[] chain = s.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    private static Object cert(SSLSession s, boolean local, Function<X509Certificate, String> f) {
        X509Certificate c;
        if (local) {
            Certificate[] mine = s.getLocalCertificates();
            c = mine != null && mine.length > 0 && mine[0] instanceof X509Certificate x ? x : null;
        } else {
            c = peer(s);
        }
        return c == null ? null : f.apply(c);
    }

    private static VerifyRecorder.Outcome verify(SSLSession s) {
        return s.getValue(VerifyRecorder.VERIFIED) instanceof VerifyRecorder.Outcome o ? o : VerifyRecorder.Outcome.OTHER;
    }

    /** OpenSSL's name of the suite (SSL_CIPHER_get_name): ECDHE-RSA-AES256-GCM-SHA384; TLSv1.3 ones keep theirs. */
    static String openSslName(String java) {
        if (java.startsWith("TLS_AES_") || java.startsWith("TLS_CHACHA20_")) return java;
        String o = CipherSuiteConverter.toOpenSsl(java, false);
        return o != null ? o : java;
    }

    /** SSL_CIPHER_get_bits: the symmetric cipher's key size. */
    static Integer bits(String suite) {
        if (suite.contains("AES_256") || suite.contains("CHACHA20")) return 256;
        if (suite.contains("AES_128") || suite.contains("ARIA_128") || suite.contains("CAMELLIA_128")) return 128;
        if (suite.contains("3DES")) return 112;
        if (suite.contains("_256_")) return 256;
        return null;
    }

    /** X509_NAME_oneline: "/C=DE/O=Org/CN=name", in the certificate's order (RFC 2253 text is reversed). */
    static String oneline(String rfc2253) {
        try {
            StringBuilder b = new StringBuilder();
            for (Rdn r : new LdapName(rfc2253).getRdns()) b.append('/').append(shortType(r.getType())).append('=').append(value(r));
            return b.toString();
        } catch (InvalidNameException e) {
            return null;
        }
    }

    private static String component(String rfc2253, String type) {
        try {
            for (Rdn r : new LdapName(rfc2253).getRdns()) {
                if (shortType(r.getType()).equalsIgnoreCase(type)) return value(r);
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }

    private static String shortType(String t) {
        return switch (t.toUpperCase(Locale.ROOT)) {
            case "1.2.840.113549.1.9.1", "EMAILADDRESS" -> "emailAddress";
            case "0.9.2342.19200300.100.1.1" -> "UID";
            case "S" -> "ST";
            default -> t;
        };
    }

    /** The value as text; a hex-encoded one (#04...) decoded when it is a DER string. */
    private static String value(Rdn r) {
        Object v = r.getValue();
        if (v instanceof byte[] der && der.length > 2) return new String(der, 2, der.length - 2, java.nio.charset.StandardCharsets.UTF_8);
        return String.valueOf(v);
    }

    private static String san(X509Certificate c, int type) {
        try {
            Collection<List<?>> all = c.getSubjectAlternativeNames();
            if (all == null) return null;
            for (List<?> e : all) {
                if (e.size() >= 2 && Integer.valueOf(type).equals(e.get(0))) return String.valueOf(e.get(1));
            }
        } catch (CertificateParsingException e) {
            return null;
        }
        return null;
    }

    private static String serverName(SSLSession s) {
        if (!(s instanceof ExtendedSSLSession x)) return null;
        for (SNIServerName n : x.getRequestedServerNames()) {
            if (n instanceof SNIHostName h) return h.getAsciiName();
        }
        return null;
    }

    private static String pem(X509Certificate c) {
        try {
            String b64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(c.getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + b64 + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            return null;
        }
    }
}
