package dev.kemi.runtime.sip;

import java.util.List;

/**
 * A SIP request or response over its received bytes (RFC 3261 §7). Parsing is lazy: the first
 * line is parsed at once, headers when first asked for. Changes are recorded in an edit list
 * applied by {@link #toBytes()}; reads keep seeing the received message (Kamailio's lumps),
 * except the Request-URI, whose rewrite is visible as Kamailio's new_uri is.
 *
 * <p>API SKELETON (to be implemented in runtime/sip): signatures are the contract other
 * packages code against; add methods freely, change these only together with their callers.
 */
public final class SipMessage {

    /** Parses one message; the array is kept (not copied) and must not change. */
    public static SipMessage parse(byte[] data) throws SipParseException {
        return parse(data, 0, data.length);
    }

    public static SipMessage parse(byte[] data, int offset, int length) throws SipParseException {
        throw new UnsupportedOperationException("TODO");
    }

    // ---- first line
    public boolean isRequest() { throw new UnsupportedOperationException("TODO"); }

    /** Request method as received (e.g. "INVITE"); for responses the CSeq method. */
    public String method() { throw new UnsupportedOperationException("TODO"); }

    /** Current Request-URI text (after {@link #setRequestUri}); null for responses. */
    public String requestUri() { throw new UnsupportedOperationException("TODO"); }

    /** Request-URI as received. */
    public String originalRequestUri() { throw new UnsupportedOperationException("TODO"); }

    /** Parsed current Request-URI. */
    public SipUri parsedRequestUri() throws SipParseException { throw new UnsupportedOperationException("TODO"); }

    /** Status code of a response; 0 for requests. */
    public int status() { throw new UnsupportedOperationException("TODO"); }

    public String reason() { throw new UnsupportedOperationException("TODO"); }

    // ---- headers (as received; names case-insensitive, compact forms equal to long ones)
    /** First value of the header, trimmed, folding undone; null if absent. */
    public String header(String name) { throw new UnsupportedOperationException("TODO"); }

    /** Every header field of that name, in order, one entry per field line. */
    public List<String> headers(String name) { throw new UnsupportedOperationException("TODO"); }

    /** Every value, comma-separated lists split (Via, Route, Record-Route, Contact ...). */
    public List<String> headerValues(String name) { throw new UnsupportedOperationException("TODO"); }

    /** All header fields in received order. */
    public List<Header> allHeaders() { throw new UnsupportedOperationException("TODO"); }

    public boolean hasHeader(String name) { throw new UnsupportedOperationException("TODO"); }

    public Via topVia() throws SipParseException { throw new UnsupportedOperationException("TODO"); }

    public List<Via> vias() throws SipParseException { throw new UnsupportedOperationException("TODO"); }

    public NameAddr from() throws SipParseException { throw new UnsupportedOperationException("TODO"); }

    public NameAddr to() throws SipParseException { throw new UnsupportedOperationException("TODO"); }

    public String callId() { throw new UnsupportedOperationException("TODO"); }

    public CSeq cseq() throws SipParseException { throw new UnsupportedOperationException("TODO"); }

    /** Max-Forwards value; -1 if absent. */
    public int maxForwards() throws SipParseException { throw new UnsupportedOperationException("TODO"); }

    /** Content-Type value or null. */
    public String contentType() { throw new UnsupportedOperationException("TODO"); }

    /** Body bytes as received (exactly Content-Length bytes). */
    public byte[] body() { throw new UnsupportedOperationException("TODO"); }

    /** Whole received message, unmodified. */
    public byte[] rawBytes() { throw new UnsupportedOperationException("TODO"); }

    // ---- edits (lumps)
    /** Appends a header line "Name: value" (CRLF optional) after the last header. */
    public void appendHeader(String line) { throw new UnsupportedOperationException("TODO"); }

    /** Inserts a header line before the first header. */
    public void insertHeader(String line) { throw new UnsupportedOperationException("TODO"); }

    /** Inserts a header line before the first header of that name (at the end if none). */
    public void insertHeaderBefore(String line, String name) { throw new UnsupportedOperationException("TODO"); }

    /** Appends a header line after the first header of that name (at the end if none). */
    public void appendHeaderAfter(String line, String name) { throw new UnsupportedOperationException("TODO"); }

    /** Removes every field of that name; returns how many. */
    public int removeHeaders(String name) { throw new UnsupportedOperationException("TODO"); }

    /** Removes one field. */
    public void removeHeader(Header h) { throw new UnsupportedOperationException("TODO"); }

    public void setRequestUri(String uri) { throw new UnsupportedOperationException("TODO"); }

    /** Replaces the body (Content-Length recomputed; Content-Type replaced if non-null). */
    public void setBody(byte[] body, String contentType) { throw new UnsupportedOperationException("TODO"); }

    /** Adds a Via value on top (the proxy's own Via). */
    public void prependVia(String viaValue) { throw new UnsupportedOperationException("TODO"); }

    /** Removes the top Via value (relaying a response upstream). */
    public void removeTopVia() { throw new UnsupportedOperationException("TODO"); }

    /** Adds a Record-Route header line above the existing ones. */
    public void insertRecordRoute(String value) { throw new UnsupportedOperationException("TODO"); }

    /** Adds a parameter to the top Via (received=, rport=) on the outgoing bytes. */
    public void setTopViaParam(String name, String value) { throw new UnsupportedOperationException("TODO"); }

    /** A copy sharing the received bytes with its own edit list (a copy of the current one): one per tm branch. */
    public SipMessage copy() { throw new UnsupportedOperationException("TODO"); }

    /** The message with every edit applied; untouched bytes exactly as received. */
    public byte[] toBytes() { throw new UnsupportedOperationException("TODO"); }

    // ---- building messages
    /**
     * A response to a request per RFC 3261 §8.2.6: Via, From, To (tag added if toTag non-null and
     * none present), Call-ID, CSeq copied; Content-Length set; extra lines ("Name: value") added.
     */
    public static SipMessage response(SipMessage request, int code, String reason, String toTag,
                                      List<String> extraHeaders, byte[] body) {
        throw new UnsupportedOperationException("TODO");
    }

    /** A request from parts (CANCEL, hop-by-hop ACK ...); header lines in order, Content-Length added. */
    public static SipMessage request(String method, String requestUri, List<String> headerLines, byte[] body) {
        throw new UnsupportedOperationException("TODO");
    }
}
