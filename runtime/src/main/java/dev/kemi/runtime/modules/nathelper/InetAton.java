package dev.kemi.runtime.modules.nathelper;

/**
 * inet_aton(3), which Kamailio's is1918addr uses: "a.b.c.d", "a.b.c", "a.b", "a", each part
 * decimal, octal (leading 0) or hex (0x); the last part fills the remaining bytes. As glibc's,
 * it stops at the first whitespace ("10.0.0.1 x" is 10.0.0.1) and wants a digit after "0x".
 */
final class InetAton {
    private InetAton() {}

    /** The address as an unsigned 32-bit value, or -1 if inet_aton would refuse it. */
    static long parse(String s) {
        if (s == null || s.isEmpty()) return -1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            // glibc: isascii && isspace ends the address (space, \t \n \v \f \r)
            if (c == ' ' || (c >= '\t' && c <= '\r')) {
                s = s.substring(0, i);
                break;
            }
        }
        String[] parts = s.split("\\.", -1);
        if (parts.length > 4) return -1;
        long[] v = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            v[i] = part(parts[i]);
            if (v[i] < 0) return -1;
        }
        long addr = 0;
        for (int i = 0; i < v.length - 1; i++) {
            if (v[i] > 255) return -1;
            addr |= v[i] << (24 - 8 * i);
        }
        long last = v[v.length - 1];
        long max = (1L << (8 * (5 - v.length))) - 1;
        if (last > max) return -1;
        return addr | last;
    }

    private static long part(String p) {
        if (p.isEmpty()) return -1;
        int radix = 10;
        int i = 0;
        if (p.length() > 1 && p.charAt(0) == '0') {
            if (p.charAt(1) == 'x' || p.charAt(1) == 'X') {
                radix = 16;
                i = 2;
                if (i == p.length()) return -1; // strtoul reads the "0", the "x" is left over
            } else {
                radix = 8;
                i = 1;
            }
        }
        long v = 0;
        for (; i < p.length(); i++) {
            int d = Character.digit(p.charAt(i), radix);
            if (d < 0) return -1;
            v = v * radix + d;
            if (v > 0xFFFFFFFFL) return -1;
        }
        return v;
    }
}
