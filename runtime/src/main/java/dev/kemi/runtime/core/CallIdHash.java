package dev.kemi.runtime.core;

/**
 * Hash of a message's Call-ID, read straight from the received bytes before any parsing, so the
 * event loop can pick the worker that owns the call. The same value as {@link #of(CharSequence)}
 * on the trimmed Call-ID text, so timers and async results find that worker again.
 */
public final class CallIdHash {
    /** No Call-ID found: any worker will do. */
    public static final int NONE = -1;

    private CallIdHash() {}

    /** Non-negative hash of the Call-ID value, or {@link #NONE}. */
    public static int of(byte[] d) {
        int n = d.length;
        int i = lineAfter(d, 0);
        while (i < n && d[i] != '\r' && d[i] != '\n') {
            int colon = callIdColon(d, i, n);
            if (colon > 0) {
                int s = colon + 1;
                while (s < n && (d[s] == ' ' || d[s] == '\t')) s++;
                int e = s;
                while (e < n && d[e] != '\r' && d[e] != '\n') e++;
                while (e > s && (d[e - 1] == ' ' || d[e - 1] == '\t')) e--;
                if (e == s) return NONE;
                int h = 0;
                for (int k = s; k < e; k++) h = 31 * h + (d[k] & 0xff);
                return h & 0x7fffffff;
            }
            i = lineAfter(d, i);
        }
        return NONE;
    }

    /** Same hash over a Call-ID string; {@link #NONE} for null or empty. */
    public static int of(CharSequence callId) {
        if (callId == null || callId.isEmpty()) return NONE;
        int h = 0;
        for (int k = 0; k < callId.length(); k++) h = 31 * h + (callId.charAt(k) & 0xff);
        return h & 0x7fffffff;
    }

    private static int lineAfter(byte[] d, int i) {
        while (i < d.length && d[i] != '\n') i++;
        return i + 1;
    }

    /** Index of ':' when the line at i is "Call-ID" or "i" (any case, blanks before ':'), else -1. */
    private static int callIdColon(byte[] d, int i, int n) {
        int j;
        if (i + 7 <= n && (d[i] | 0x20) == 'c' && (d[i + 1] | 0x20) == 'a' && (d[i + 2] | 0x20) == 'l'
                && (d[i + 3] | 0x20) == 'l' && d[i + 4] == '-' && (d[i + 5] | 0x20) == 'i' && (d[i + 6] | 0x20) == 'd') {
            j = i + 7;
        } else if ((d[i] | 0x20) == 'i') {
            j = i + 1;
        } else {
            return -1;
        }
        while (j < n && (d[j] == ' ' || d[j] == '\t')) j++;
        return j < n && d[j] == ':' ? j : -1;
    }
}
