package dev.kemi.runtime.sip;

/** host and port syntax (RFC 3261 §25.1): hostname, IPv4address or an IPv6reference in brackets. */
final class Hosts {
    private Hosts() {}

    /** End of the host starting at s[i] (exclusive), or -1 if there is none. */
    static int hostEnd(String s, int i, int end) {
        if (i >= end) return -1;
        if (s.charAt(i) == '[') {
            int j = i + 1;
            while (j < end && isIpv6Char(s.charAt(j))) j++;
            if (j >= end || s.charAt(j) != ']' || j == i + 1) return -1;
            return j + 1;
        }
        int j = i;
        while (j < end && isHostChar(s.charAt(j))) j++;
        return j == i ? -1 : j;
    }

    static boolean isHost(String s) {
        return !s.isEmpty() && hostEnd(s, 0, s.length()) == s.length();
    }

    /** A host, or an IPv6 address written without brackets (Via received, RFC 3261 §20.42). */
    static boolean isAddress(String s) {
        if (isHost(s)) return true;
        if (s.indexOf(':') < 0) return false;
        for (int i = 0; i < s.length(); i++) if (!isIpv6Char(s.charAt(i))) return false;
        return true;
    }

    private static boolean isHostChar(char c) {
        return Chars.isAlpha(c) || Chars.isDigit(c) || c == '-' || c == '.' || c == '_';
    }

    private static boolean isIpv6Char(char c) {
        return Chars.isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
    }

    /** Port 0..65535 from s[from,to), or -1. */
    static int port(String s, int from, int to) {
        return (int) Chars.parseUnsigned(s, from, to, 65535);
    }
}
