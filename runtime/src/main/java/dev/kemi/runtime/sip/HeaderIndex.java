package dev.kemi.runtime.sip;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Boundaries of every header field of a message, found in one pass over the header block
 * without decoding anything: per field the offsets of its name, its trimmed value and its end,
 * plus the id of well-known names. Content-Length is read on the way because the body cannot be
 * located without it.
 */
final class HeaderIndex {
    private static final int STRIDE = 6;
    private static final int START = 0, NAME_END = 1, VALUE_START = 2, VALUE_END = 3, END = 4, TYPE = 5;
    private static final int FOLDED = 1 << 16;

    private final int[] a;
    private final int count;
    /** Offset of the empty line that ends the header block. */
    final int headersEnd;
    /** Offset of the first body byte. */
    final int bodyStart;
    /** Content-Length value, -1 if absent. */
    final int contentLength;

    private HeaderIndex(int[] a, int count, int headersEnd, int bodyStart, int contentLength) {
        this.a = a;
        this.count = count;
        this.headersEnd = headersEnd;
        this.bodyStart = bodyStart;
        this.contentLength = contentLength;
    }

    int count() { return count; }

    /** The same index in an array of its exact size (the scan allocates for 16 fields). */
    HeaderIndex compact() {
        int used = count * STRIDE;
        return a.length == used ? this : new HeaderIndex(java.util.Arrays.copyOf(a, used), count, headersEnd, bodyStart, contentLength);
    }
    int start(int i) { return a[i * STRIDE + START]; }
    int nameEnd(int i) { return a[i * STRIDE + NAME_END]; }
    int valueStart(int i) { return a[i * STRIDE + VALUE_START]; }
    int valueEnd(int i) { return a[i * STRIDE + VALUE_END]; }
    int end(int i) { return a[i * STRIDE + END]; }
    int type(int i) { return a[i * STRIDE + TYPE] & 0xffff; }
    boolean folded(int i) { return (a[i * STRIDE + TYPE] & FOLDED) != 0; }

    /**
     * Indexes the header block starting at p (first byte after the first line's LF) up to and
     * including the empty line. Lines may end in CRLF or a bare LF.
     */
    static HeaderIndex scan(byte[] b, int p, int limit) throws SipParseException {
        int[] a = new int[16 * STRIDE];
        int n = 0;
        int contentLength = -1;
        while (true) {
            if (p >= limit) throw new SipParseException("Missing empty line after headers");
            int c = b[p];
            if (c == '\n') return new HeaderIndex(a, n, p, p + 1, contentLength);
            if (c == '\r' && p + 1 < limit && b[p + 1] == '\n') {
                return new HeaderIndex(a, n, p, p + 2, contentLength);
            }
            if (n == SipMessage.MAX_HEADERS) {
                throw new SipParseException("Too many header fields (limit " + SipMessage.MAX_HEADERS + ")");
            }
            int start = p;
            while (p < limit && Chars.isToken(b[p])) p++;
            int nameEnd = p;
            if (nameEnd == start) {
                throw new SipParseException(Chars.isWsp(c)
                        ? "Line folding without a header to continue"
                        : "Invalid header name");
            }
            while (p < limit && Chars.isWsp(b[p])) p++;
            if (p >= limit || b[p] != ':') throw new SipParseException("Missing colon after header name");
            p++;
            int valueFrom = p;
            int maxEnd = Math.min(limit, start + SipMessage.MAX_LINE_LENGTH);
            boolean folded = false;
            int contentEnd;
            while (true) {
                int lf = indexOfLf(b, p, maxEnd);
                if (lf < 0) {
                    throw new SipParseException(maxEnd < limit
                            ? "Header field too long (limit " + SipMessage.MAX_LINE_LENGTH + ")"
                            : "Missing empty line after headers");
                }
                contentEnd = lf > valueFrom && b[lf - 1] == '\r' ? lf - 1 : lf;
                p = lf + 1;
                if (p < limit && Chars.isWsp(b[p])) {
                    folded = true;
                    continue;
                }
                break;
            }
            int vs = valueFrom;
            while (vs < contentEnd && Chars.isLws(b[vs])) vs++;
            int ve = contentEnd;
            while (ve > vs && Chars.isLws(b[ve - 1])) ve--;
            int type = HeaderNames.id(b, start, nameEnd);
            if (type == HeaderNames.CONTENT_LENGTH) {
                int cl = parseContentLength(b, vs, ve);
                if (contentLength >= 0 && cl != contentLength) {
                    throw new SipParseException("Conflicting Content-Length values");
                }
                contentLength = cl;
            }
            if ((n + 1) * STRIDE > a.length) a = java.util.Arrays.copyOf(a, a.length * 2);
            int o = n * STRIDE;
            a[o + START] = start;
            a[o + NAME_END] = nameEnd;
            a[o + VALUE_START] = vs;
            a[o + VALUE_END] = ve;
            a[o + END] = p;
            a[o + TYPE] = type | (folded ? FOLDED : 0);
            n++;
        }
    }

    private static int parseContentLength(byte[] b, int from, int to) throws SipParseException {
        if (from < to && b[from] == '-') throw new SipParseException("Negative Content-Length");
        long v = Chars.parseUnsigned(b, from, to, SipMessage.MAX_MESSAGE_SIZE);
        if (v < 0) {
            for (int i = from; i < to; i++) {
                if (!Chars.isDigit(b[i])) throw new SipParseException("Invalid Content-Length");
            }
            throw new SipParseException("Content-Length too large");
        }
        return (int) v;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LFS = 0x0A0A0A0A0A0A0A0AL;

    /** First LF in b[from,to), or -1; eight bytes per step (the lowest zero byte of word ^ LFS). */
    static int indexOfLf(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(b, i) ^ LFS;
            long zero = (x - ONES) & ~x & HIGHS;
            if (zero != 0) return i + (Long.numberOfTrailingZeros(zero) >>> 3);
        }
        for (; i < to; i++) if (b[i] == '\n') return i;
        return -1;
    }
}
