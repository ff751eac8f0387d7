package dev.kemi.runtime.modules.outbound;

import dev.kemi.runtime.transport.Protocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Kamailio 5.6.3's outbound flow token, byte for byte: base64 of
 * {@code HMAC-SHA1-80 | proto | local ip | local port | remote ip | remote port}, where proto is
 * Kamailio's transport number (udp 1, tcp 2, tls 3, sctp 4, ws 5, wss 6) with bit 7 set for
 * IPv6, ports big-endian, and the HMAC the last 10 bytes of HMAC-SHA1 over everything after it,
 * keyed by 20 random bytes (or SHA-1 of flow_token_secret). 23 bytes for IPv4 (32 base64
 * characters, one '='), 47 for IPv6 (64 characters).
 */
public final class FlowToken {
    static final int MIN_LENGTH = 23;
    static final int MAX_LENGTH = 47;
    private static final int HMAC_LENGTH = 10;
    private static final int SHA1_LENGTH = 20;

    private final SecretKeySpec key;

    public FlowToken(byte[] key) {
        this.key = new SecretKeySpec(key.clone(), "HmacSHA1");
    }

    /** The key Kamailio derives from flow_token_secret: SHA-1 of the secret's bytes. */
    public static byte[] keyOfSecret(String secret) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 unavailable", e);
        }
    }

    /** The token for a flow (its base64 text). */
    public String encode(Flow f) {
        boolean v6 = f.local().getAddress().getAddress().length == 16;
        byte[] local = f.local().getAddress().getAddress();
        byte[] remote = f.remote().getAddress().getAddress();
        byte[] b = new byte[HMAC_LENGTH + 1 + local.length + 2 + remote.length + 2];
        int pos = HMAC_LENGTH;
        b[pos++] = (byte) ((v6 ? 0x80 : 0) | protoNumber(f.proto()));
        System.arraycopy(local, 0, b, pos, local.length);
        pos += local.length;
        b[pos++] = (byte) (f.local().getPort() >> 8);
        b[pos++] = (byte) f.local().getPort();
        System.arraycopy(remote, 0, b, pos, remote.length);
        pos += remote.length;
        b[pos++] = (byte) (f.remote().getPort() >> 8);
        b[pos++] = (byte) f.remote().getPort();
        System.arraycopy(hmac(b, pos), SHA1_LENGTH - HMAC_LENGTH, b, 0, HMAC_LENGTH);
        return Base64.getEncoder().encodeToString(Arrays.copyOf(b, pos));
    }

    /** Thrown for a token of the right shape whose HMAC does not match (tampered, or another proxy's key). */
    public static final class Broken extends Exception {
        Broken() {
            super("flow-token failed validation", null, false, false);
        }
    }

    /**
     * The flow a token names; null when the text is not a flow token (not base64 of 23 or 47
     * bytes: Kamailio's -2); {@link Broken} when it has that shape but its HMAC fails (-1).
     */
    public Flow decode(String token) throws Broken {
        if (token == null || token.isEmpty()) return null;
        byte[] b = base64(token.getBytes(StandardCharsets.ISO_8859_1));
        if (b == null || (b.length != MIN_LENGTH && b.length != MAX_LENGTH)) return null;
        byte[] mac = hmac(b, b.length);
        if (!MessageDigest.isEqual(Arrays.copyOfRange(b, 0, HMAC_LENGTH), Arrays.copyOfRange(mac, SHA1_LENGTH - HMAC_LENGTH, SHA1_LENGTH))) {
            throw new Broken();
        }
        int pos = HMAC_LENGTH;
        int p = b[pos++] & 0xff;
        // as Kamailio: the address length follows bit 7, whatever the total length said
        int alen = (p & 0x80) != 0 ? 16 : 4;
        if (pos + 2 * (alen + 2) > b.length) throw new Broken();
        InetSocketAddress local = address(b, pos, alen);
        pos += alen + 2;
        InetSocketAddress remote = address(b, pos, alen);
        Protocol proto = protocol(p & 0x7f);
        if (proto == null) throw new Broken();
        return new Flow(proto, local, remote);
    }

    private byte[] hmac(byte[] b, int end) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(key);
            mac.update(b, HMAC_LENGTH, end - HMAC_LENGTH);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA1 unavailable", e);
        }
    }

    private static InetSocketAddress address(byte[] b, int pos, int len) {
        try {
            InetAddress a = InetAddress.getByAddress(Arrays.copyOfRange(b, pos, pos + len));
            return new InetSocketAddress(a, ((b[pos + len] & 0xff) << 8) | (b[pos + len + 1] & 0xff));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // a 4 or 16 byte array always makes an address
        }
    }

    /** Kamailio's sip_protos numbers. */
    static int protoNumber(Protocol p) {
        return switch (p) {
            case UDP -> 1;
            case TCP -> 2;
            case TLS -> 3;
            case SCTP -> 4;
            case WS -> 5;
            case WSS -> 6;
        };
    }

    private static Protocol protocol(int n) {
        return switch (n) {
            case 1 -> Protocol.UDP;
            case 2 -> Protocol.TCP;
            case 3 -> Protocol.TLS;
            case 4 -> Protocol.SCTP;
            case 5 -> Protocol.WS;
            case 6 -> Protocol.WSS;
            default -> null;
        };
    }

    /**
     * Kamailio's base64_dec: length a multiple of 4 and '=' only as padding, else not base64
     * (null); characters outside the alphabet are not rejected but decode to 0xff bits, so a
     * damaged token still has its length and fails the HMAC, as there.
     */
    static byte[] base64(byte[] s) {
        int n = s.length;
        if (n < 4 || n % 4 != 0 || (s[n - 2] == '=' && s[n - 1] != '=')) return null;
        int size = n / 4 * 3 - (s[n - 2] == '=' ? 1 : 0) - (s[n - 1] == '=' ? 1 : 0);
        if (size > MAX_LENGTH) return null;
        byte[] out = new byte[size];
        int o = 0;
        for (int i = 0; i < n; i += 4) {
            int a = digit(s[i]), b = digit(s[i + 1]), c = digit(s[i + 2]), d = digit(s[i + 3]);
            if (o < size) out[o++] = (byte) ((a << 2) | (b >> 4));
            if (o < size) out[o++] = (byte) ((b << 4) | (c >> 2));
            if (o < size) out[o++] = (byte) ((c << 6) | d);
        }
        return out;
    }

    private static int digit(byte v) {
        if (v >= 'A' && v <= 'Z') return v - 'A';
        if (v >= 'a' && v <= 'z') return v - 'a' + 26;
        if (v >= '0' && v <= '9') return v - '0' + 52;
        if (v == '+') return 62;
        if (v == '/') return 63;
        return 0xff;
    }
}
