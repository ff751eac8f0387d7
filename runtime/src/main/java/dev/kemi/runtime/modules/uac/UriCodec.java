package dev.kemi.runtime.modules.uac;

/**
 * The Record-Route parameter value of uac_replace_from/to as Kamailio 5.6.3 writes it: the old
 * and new URI XORed over the longer one's length, XORed with restore_passwd (repeated), then
 * base64 with '-' instead of '=' (so the value is a valid URI parameter). Decoding the value
 * and XORing it with either URI gives the other one, which is how in-dialog requests going
 * either way are restored without any state in the proxy.
 */
final class UriCodec {
    /** Kamailio's MAX_URI_SIZE: longer URIs are refused. */
    static final int MAX_URI = 1024;
    private static final String TABLE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private UriCodec() {}

    /** The parameter value for replacing {@code oldUri} by {@code newUri}; null when too long. */
    static String encode(String oldUri, String newUri, String passwd) {
        byte[] a = bytes(oldUri), b = bytes(newUri);
        byte[] longer = a.length > b.length ? a : b, shorter = longer == a ? b : a;
        if (longer.length > MAX_URI) return null;
        byte[] buf = longer.clone();
        for (int i = 0; i < shorter.length; i++) buf[i] ^= shorter[i];
        xor(buf, passwd);
        return base64(buf);
    }

    /**
     * The other URI from a parameter value and the URI the request carries now; null when the
     * value does not decode, is shorter than the current URI, or gives an empty or unprintable URI.
     */
    static String decode(String value, String currentUri, String passwd) {
        byte[] buf = unbase64(value);
        if (buf == null) return null;
        xor(buf, passwd);
        byte[] cur = bytes(currentUri);
        if (buf.length < cur.length) return null;
        int len = buf.length;
        for (int i = 0; i < cur.length; i++) {
            buf[i] ^= cur[i];
            if (buf[i] == 0) {
                len = i;
                break;
            }
        }
        if (len == 0) return null;
        for (int i = 0; i < len; i++) if (buf[i] < 0x20 || buf[i] > 0x7e) return null;
        return new String(buf, 0, len, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static void xor(byte[] buf, String passwd) {
        if (passwd == null || passwd.isEmpty()) return;
        byte[] p = bytes(passwd);
        for (int i = 0; i < buf.length; i++) buf[i] ^= p[i % p.length];
    }

    static String base64(byte[] src) {
        StringBuilder out = new StringBuilder((src.length + 2) / 3 * 4);
        for (int idx = 0; idx < src.length; idx += 3) {
            int left = Math.min(2, src.length - idx - 1);
            int block = 0;
            for (int i = 0, r = 16; i <= left; i++, r -= 8) block += (src[idx + i] & 0xff) << r;
            out.append(TABLE.charAt((block >> 18) & 0x3f)).append(TABLE.charAt((block >> 12) & 0x3f));
            out.append(left > 0 ? TABLE.charAt((block >> 6) & 0x3f) : '-');
            out.append(left > 1 ? TABLE.charAt(block & 0x3f) : '-');
        }
        return out.toString();
    }

    /** Kamailio's decode_uri: trailing '-' dropped; null on an empty value or a foreign character. */
    static byte[] unbase64(String src) {
        if (src == null || src.isEmpty()) return null;
        int n = 0;
        for (int i = src.length() - 1; i >= 0 && src.charAt(i) == '-'; i--) n++;
        int len = ((src.length() * 6) >> 3) - n;
        if (len > MAX_URI || len < 0) return null;
        byte[] out = new byte[len];
        int end = src.length() - n;
        for (int i = 0, idx = 0; i < end; idx += 3) {
            int block = 0;
            for (int j = 0; j < 4 && i < end; j++) {
                char c = src.charAt(i++);
                int v = TABLE.indexOf(c);
                if (v < 0) return null;
                block += v << (18 - 6 * j);
            }
            for (int j = 0, s = 16; j < 3 && idx + j < len; j++, s -= 8) out[idx + j] = (byte) ((block >> s) & 0xff);
        }
        return out;
    }
}
