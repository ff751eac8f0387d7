package dev.kemi.runtime.modules.usrloc;

import java.nio.charset.StandardCharsets;

/** Kamailio's core_hash(s, NULL, 0): the AoR hash usrloc shows as HashID and slots records by. */
public final class CoreHash {
    private CoreHash() {}

    public static int of(String s) {
        return of(s.getBytes(StandardCharsets.UTF_8));
    }

    /** core_hash over raw bytes (permissions hashes the first 4 bytes of an address). */
    public static int of(byte[] b) {
        int h = 0;
        int p = 0;
        // C's char is signed on x86: bytes >= 0x80 enter the sum sign-extended, as in Kamailio
        for (; p <= b.length - 4; p += 4) {
            int v = (b[p] << 24) + (b[p + 1] << 16) + (b[p + 2] << 8) + b[p + 3];
            h += v ^ (v >>> 3);
        }
        int v = 0;
        for (; p < b.length; p++) {
            v <<= 8;
            v += b[p];
        }
        h += v ^ (v >>> 3);
        return (h + (h >>> 11)) + ((h >>> 13) + (h >>> 23));
    }
}
