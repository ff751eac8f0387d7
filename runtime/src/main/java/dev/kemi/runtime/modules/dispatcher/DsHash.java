package dev.kemi.runtime.modules.dispatcher;

import dev.kemi.runtime.sip.SipUri;
import java.nio.charset.StandardCharsets;

/** ds_get_hash and the URI keys it hashes, bit for bit as Kamailio computes them (so both pick the same destination). */
final class DsHash {
    private DsHash() {}

    /** Unsigned 32-bit hash of the UTF-8 bytes of x then y (either may be null; messages and RPC text are UTF-8 here); never 0. */
    static int hash(String x, String y) {
        if (x == null && y == null) return 0;
        int h = 0;
        if (x != null) h = part(h, x.getBytes(StandardCharsets.UTF_8));
        if (y != null) h = part(h, y.getBytes(StandardCharsets.UTF_8));
        h = (h + (h >>> 11)) + ((h >>> 13) + (h >>> 23));
        return h != 0 ? h : 1;
    }

    // Kamailio reads the bytes as (signed) char, as on x86
    private static int part(int h, byte[] p) {
        int i = 0, v;
        if (p.length >= 4) {
            for (; i <= p.length - 4; i += 4) {
                v = (p[i] << 24) + (p[i + 1] << 16) + (p[i + 2] << 8) + p[i + 3];
                h += v ^ (v >>> 3);
            }
        }
        v = 0;
        for (; i < p.length; i++) {
            v <<= 8;
            v += p[i];
        }
        return h + (v ^ (v >>> 3));
    }

    /** get_uri_hash_keys: user, and host[:port] unless the port is the scheme's default or only the user counts. */
    static int uri(SipUri u, boolean userOnly) {
        String key2 = null;
        if (!userOnly) {
            key2 = u.host();
            if (u.port() >= 0 && u.port() != ("sips".equals(u.scheme()) ? 5061 : 5060)) key2 = key2 + ":" + portText(u);
        }
        return hash(u.user(), key2);
    }

    /** The port as written in the URI (":05080" hashes as written). */
    private static String portText(SipUri u) {
        String t = u.text();
        int at = t.indexOf('@');
        int hostAt = t.indexOf(u.host(), at < 0 ? t.indexOf(':') + 1 : at + 1);
        if (hostAt >= 0) {
            int colon = hostAt + u.host().length();
            if (colon < t.length() && t.charAt(colon) == ':') {
                int e = colon + 1;
                while (e < t.length() && Character.isDigit(t.charAt(e))) e++;
                return t.substring(colon + 1, e);
            }
        }
        return Integer.toString(u.port());
    }
}
