package dev.kemi.runtime.sip;

/**
 * Finds message boundaries in a stream (TCP/TLS, RFC 3261 §18.3): CRLFs before a message are
 * keep-alives (RFC 5626 §3.5.1 "\r\n\r\n" pings included) and skipped; a message is its header
 * block up to the empty line plus Content-Length body bytes. A message without Content-Length
 * (mandatory on streams, RFC 3261 §20.14) fails unless the caller accepts it as bodiless, as
 * Kamailio's tcp_accept_no_cl does. A buffer
 * holding only 1 to 3 CR/LF bytes is NEED_MORE, so that a ping split across reads is reported
 * whole in the skipped bytes of a later call (the caller answers pings found there).
 *
 * <p>Usage by a transport holding received bytes in buf[off, off+len):
 * <pre>
 *   long r = StreamFramer.next(buf, off, len, acceptNoCl);   // may throw SipParseException
 *   if (r == StreamFramer.NEED_MORE) wait for more bytes (keep them);
 *   else { int skip = StreamFramer.skipped(r), length = StreamFramer.length(r);
 *          if (length == 0) consume skip bytes (keep-alives only, nothing to parse);
 *          else SipMessage.parse(buf, off + skip, length); consume skip + length bytes; }
 * </pre>
 * A SipParseException means the stream cannot be framed (header block over
 * {@link SipMessage#MAX_MESSAGE_SIZE}, bad, conflicting or missing Content-Length, message over the
 * limit): the connection should be closed. The returned frame is not otherwise validated; parse
 * does that.
 */
public final class StreamFramer {
    private StreamFramer() {}

    /** More bytes are needed before anything can be consumed. */
    public static final long NEED_MORE = -1;

    /** Leading keep-alive bytes to consume before the message. */
    public static int skipped(long frame) {
        return (int) (frame >>> 32);
    }

    /** Length of the message after the skipped bytes; 0 if only keep-alives were found. */
    public static int length(long frame) {
        return (int) frame;
    }

    /**
     * Frames the next message in buf[off, off+len): returns NEED_MORE or a frame packed as
     * (skipped &lt;&lt; 32 | length), read with {@link #skipped} and {@link #length}.
     */
    public static long next(byte[] buf, int off, int len, boolean acceptNoContentLength) throws SipParseException {
        int limit = off + len;
        int p = off;
        while (p < limit && (buf[p] == '\r' || buf[p] == '\n')) p++;
        int skipped = p - off;
        if (p == limit) {
            // fewer than 4 CR/LF may be the first half of a "\r\n\r\n" ping split across reads
            return skipped < 4 ? NEED_MORE : frame(skipped, 0);
        }
        int scanEnd = Math.min(limit, p + SipMessage.MAX_MESSAGE_SIZE);
        int headersEnd = -1;
        int bodyStart = -1;
        int contentLength = -1;
        int lineStart = p;
        for (int i = p; i < scanEnd; i++) {
            if (buf[i] != '\n') continue;
            int next = i + 1;
            if (lineStart > p && isEmptyLine(buf, lineStart, i)) {
                headersEnd = lineStart;
                bodyStart = next;
                break;
            }
            if (lineStart > p) {
                int cl = contentLength(buf, lineStart, i);
                if (cl >= 0) {
                    if (contentLength >= 0 && cl != contentLength) {
                        throw new SipParseException("Conflicting Content-Length values");
                    }
                    contentLength = cl;
                }
            }
            lineStart = next;
        }
        if (headersEnd < 0) {
            if (scanEnd - p >= SipMessage.MAX_MESSAGE_SIZE) throw new SipParseException("Header block too large");
            return NEED_MORE;
        }
        if (contentLength < 0 && !acceptNoContentLength) throw new SipParseException("Content-Length not present");
        long total = (long) bodyStart - p + Math.max(contentLength, 0);
        if (total > SipMessage.MAX_MESSAGE_SIZE) throw new SipParseException("Message too large", 513);
        if (p + total > limit) return NEED_MORE;
        return frame(skipped, (int) total);
    }

    private static long frame(int skipped, int length) {
        return ((long) skipped << 32) | length;
    }

    private static boolean isEmptyLine(byte[] b, int from, int lf) {
        return lf == from || (lf == from + 1 && b[from] == '\r');
    }

    /**
     * Content-Length of the line b[from, lf) if it is that header (long or compact form, not a
     * folded continuation), -1 otherwise; a bad value fails.
     */
    private static int contentLength(byte[] b, int from, int lf) throws SipParseException {
        int ne = from;
        while (ne < lf && Chars.isToken(b[ne])) ne++;
        if (ne == from || HeaderNames.id(b, from, ne) != HeaderNames.CONTENT_LENGTH) return -1;
        int i = ne;
        while (i < lf && Chars.isWsp(b[i])) i++;
        if (i == lf || b[i] != ':') return -1;
        i++;
        int e = lf;
        while (i < e && Chars.isLws(b[i])) i++;
        while (e > i && Chars.isLws(b[e - 1])) e--;
        long v = Chars.parseUnsigned(b, i, e, SipMessage.MAX_MESSAGE_SIZE);
        if (v < 0) throw new SipParseException("Invalid Content-Length");
        return (int) v;
    }
}
