package dev.kemi.runtime.sip;

import java.nio.charset.StandardCharsets;

/** Character classes of RFC 3261 §25.1 and small byte/String helpers shared by the parsers. */
final class Chars {
    private Chars() {}

    private static final boolean[] TOKEN = new boolean[256];

    static {
        for (int c = 'a'; c <= 'z'; c++) TOKEN[c] = true;
        for (int c = 'A'; c <= 'Z'; c++) TOKEN[c] = true;
        for (int c = '0'; c <= '9'; c++) TOKEN[c] = true;
        for (char c : "-.!%*_+`'~".toCharArray()) TOKEN[c] = true;
    }

    /** token character (RFC 3261 §25.1): alphanum and -.!%*_+`'~ */
    static boolean isToken(int c) {
        return c >= 0 && c < 256 && TOKEN[c];
    }

    static boolean isWsp(int c) {
        return c == ' ' || c == '\t';
    }

    /** Whitespace that may appear inside an unfolded value: SP, HT, CR, LF. */
    static boolean isLws(int c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    static boolean isAlpha(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean isTokenString(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) if (!isToken(s.charAt(i))) return false;
        return true;
    }

    /** Index of the first non-LWS char at or after i (or end). */
    static int skipLws(String s, int i, int end) {
        while (i < end && isLws(s.charAt(i))) i++;
        return i;
    }

    /** Index of the first token char that ends the token starting at i. */
    static int tokenEnd(String s, int i, int end) {
        while (i < end && isToken(s.charAt(i))) i++;
        return i;
    }

    /**
     * End (index just after the closing quote) of the quoted-string starting at i (s[i] == '"');
     * -1 if unterminated. quoted-pair escapes are skipped.
     */
    static int quotedEnd(String s, int i, int end) {
        for (int j = i + 1; j < end; j++) {
            char c = s.charAt(j);
            if (c == '\\') j++;
            else if (c == '"') return j + 1;
        }
        return -1;
    }

    private static final String[] COMMON_NAMES = {
        "tag", "branch", "rport", "received", "lr", "transport", "user", "maddr", "ttl", "expires", "q",
        "method", "ob", "gr",
    };
    private static final String[] COMMON_TRANSPORTS = {"UDP", "TCP", "TLS", "SCTP", "WS", "WSS"};

    /**
     * s[from,to) lower-cased (upper-cased if upper is set), reusing a constant for the common
     * parameter names and transports so the per-message path does not allocate them.
     */
    static String name(String s, int from, int to, boolean upper) {
        int n = to - from;
        int first = s.charAt(from) | 0x20;
        for (String c : upper ? COMMON_TRANSPORTS : COMMON_NAMES) {
            if (c.length() == n && (c.charAt(0) | 0x20) == first && s.regionMatches(true, from, c, 0, n)) return c;
        }
        String sub = s.substring(from, to);
        return upper ? sub.toUpperCase(java.util.Locale.ROOT) : sub.toLowerCase(java.util.Locale.ROOT);
    }

    /** Decodes bytes as UTF-8; pure ASCII takes the JDK's fast path. */
    static String str(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.UTF_8);
    }

    /** Case-insensitive compare of b[from,to) with a lower-case ASCII string. */
    static boolean equalsLower(byte[] b, int from, int to, String lower) {
        int n = to - from;
        if (n != lower.length()) return false;
        for (int i = 0; i < n; i++) {
            int c = b[from + i];
            if (c >= 'A' && c <= 'Z') c += 32;
            if (c != lower.charAt(i)) return false;
        }
        return true;
    }

    /**
     * Parses an unsigned decimal of at most maxDigits significant digits; -1 if s[from,to) is not
     * 1*DIGIT or exceeds max.
     */
    static long parseUnsigned(String s, int from, int to, long max) {
        if (from >= to) return -1;
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) return -1;
            v = v * 10 + (c - '0');
            if (v > max) return -1;
        }
        return v;
    }

    /** Same over bytes. */
    static long parseUnsigned(byte[] b, int from, int to, long max) {
        if (from >= to) return -1;
        long v = 0;
        for (int i = from; i < to; i++) {
            int c = b[i];
            if (!isDigit(c)) return -1;
            v = v * 10 + (c - '0');
            if (v > max) return -1;
        }
        return v;
    }
}
