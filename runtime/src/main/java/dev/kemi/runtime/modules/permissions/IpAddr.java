package dev.kemi.runtime.modules.permissions;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 address as Kamailio's ip_addr: parsed from text only when it is a literal
 * (str2ip / str2ip6, never a DNS lookup), compared byte-wise, printed as ip_addr2a does
 * (dotted quad; IPv6 compressed, lowercase, as inet_ntop with the default ipv6_hex_style "c").
 */
record IpAddr(byte[] bytes) {

    boolean v6() {
        return bytes.length == 16;
    }

    /** The address a literal names (IPv6 with or without brackets), or null when it is not one (a domain). */
    static IpAddr parse(String s) {
        if (s == null || s.isEmpty()) return null;
        if (s.charAt(0) == '[' || s.indexOf(':') >= 0) return parse6(s);
        return parse4(s);
    }

    static IpAddr of(InetAddress a) {
        return new IpAddr(a.getAddress());
    }

    private static IpAddr parse4(String s) {
        byte[] b = new byte[4];
        int part = 0, val = 0, digits = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                val = val * 10 + (c - '0');
                if (++digits > 3 || val > 255) return null;
            } else if (c == '.' && digits > 0 && part < 3) {
                b[part++] = (byte) val;
                val = 0;
                digits = 0;
            } else {
                return null;
            }
        }
        if (part != 3 || digits == 0) return null;
        b[3] = (byte) val;
        return new IpAddr(b);
    }

    private static IpAddr parse6(String s) {
        String t = s;
        if (t.startsWith("[")) {
            if (!t.endsWith("]")) return null;
            t = t.substring(1, t.length() - 1);
        }
        if (t.isEmpty() || t.indexOf(':') < 0) return null;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (!(c == ':' || c == '.' || Character.digit(c, 16) >= 0)) return null;
        }
        try {
            // only hex digits, ':' and '.': a literal, InetAddress does no lookup
            byte[] b = InetAddress.getByName("[" + t + "]").getAddress();
            if (b.length == 4) { // an IPv4-mapped literal: keep it IPv6 as Kamailio does
                byte[] m = new byte[16];
                m[10] = (byte) 0xff;
                m[11] = (byte) 0xff;
                System.arraycopy(b, 0, m, 12, 4);
                b = m;
            }
            return new IpAddr(b);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** ip_addr_match_net: the first {@code mask} bits equal (0 matches anything), same family only. */
    boolean inNet(IpAddr net, int mask) {
        if (mask == 0) return true;
        if (bytes.length != net.bytes.length || mask < 0 || mask > bytes.length * 8) return false;
        int full = mask / 8, bits = mask % 8;
        for (int i = 0; i < full; i++) if (bytes[i] != net.bytes[i]) return false;
        if (bits == 0) return true;
        int m = (0xff << (8 - bits)) & 0xff;
        return (bytes[full] & m) == (net.bytes[full] & m);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpAddr a && Arrays.equals(bytes, a.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        if (!v6()) return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        boolean mapped = g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff;
        if (mapped) {
            return "::ffff:" + (bytes[12] & 0xff) + "." + (bytes[13] & 0xff) + "." + (bytes[14] & 0xff) + "." + (bytes[15] & 0xff);
        }
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) bestStart = -1; // glibc's inet_ntop leaves a single zero group alone
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
