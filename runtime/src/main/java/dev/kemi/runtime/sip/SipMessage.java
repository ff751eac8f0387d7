package dev.kemi.runtime.sip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A SIP request or response over its received bytes (RFC 3261 §7). Parsing is lazy: {@link
 * #parse} reads the first line and finds the header field boundaries in one byte pass (no
 * Strings are built; Content-Length is read to locate the body); a header's value is decoded
 * when first asked for and its structure (Via, From, CSeq ...) parsed only then, each cached.
 * Changes are recorded in an edit list applied by {@link #toBytes()}; reads keep seeing the
 * received message (Kamailio's lumps), except the Request-URI, whose rewrite is visible as
 * Kamailio's new_uri is.
 *
 * <p>Not thread-safe: one message is handled by one worker at a time.
 *
 * <p>Limits: {@link #MAX_MESSAGE_SIZE}, {@link #MAX_HEADERS}, {@link #MAX_LINE_LENGTH}; going
 * over one is a {@link SipParseException} saying which.
 */
public final class SipMessage {
    /** Largest message accepted, in bytes. */
    public static final int MAX_MESSAGE_SIZE = 65536;
    /** Most header fields accepted. */
    public static final int MAX_HEADERS = 256;
    /** Longest first line or header field (folded lines included), in bytes. */
    public static final int MAX_LINE_LENGTH = 16384;

    private static final byte[] CRLF = {'\r', '\n'};

    private final byte[] buf;
    private final StartLine startLine;
    private final int end;
    private final int limit; // end of the received data: a datagram may run past the body
    private HeaderIndex index; // trimmed by dropCaches()

    // caches of decoded values (shared with copies: they only ever hold immutable values)
    private String[] values;
    private Object[] parsed;
    private String originalUri;

    // edits
    private EditList edits;
    private String newUri;
    private SipUri newUriParsed;
    /** How often the Request-URI was set (tm's ruri_is_new: a set makes it usable for a branch again). */
    private int uriSets;
    private byte[] newBody;
    private String newContentType;
    /** Steps already applied to this outgoing copy (APPLIED_*): each adds its headers once per copy. */
    private int applied;

    /** record_route's Record-Route headers. */
    public static final int APPLIED_RECORD_ROUTE = 1;
    /** append_hf-style headers meant for the outgoing request only. */
    public static final int APPLIED_OUTGOING_HEADERS = 2;

    private SipMessage(byte[] buf, StartLine startLine, int end, int limit, HeaderIndex index) {
        this.buf = buf;
        this.startLine = startLine;
        this.end = end;
        this.limit = limit;
        this.index = index;
    }

    /** Parses one message; the array is kept (not copied) and must not change. */
    public static SipMessage parse(byte[] data) throws SipParseException {
        return parse(data, 0, data.length);
    }

    /**
     * Parses the message in data[offset, offset+length). Leading CRLFs (keep-alives) are
     * skipped. With a Content-Length, bytes after the body are ignored (RFC 3261 §18.3); a shorter
     * body is what arrived, as Kamailio's core takes it (sanity_check's Content-Length test is
     * where that is an error); without one the body runs to the end.
     */
    public static SipMessage parse(byte[] data, int offset, int length) throws SipParseException {
        java.util.Objects.checkFromIndexSize(offset, length, data.length);
        if (length > MAX_MESSAGE_SIZE) {
            throw new SipParseException("Message too large (limit " + MAX_MESSAGE_SIZE + " bytes)", 513);
        }
        int limit = offset + length;
        StartLine first = StartLine.parse(data, offset, limit);
        HeaderIndex index = HeaderIndex.scan(data, first.headersStart(), limit);
        int end = limit;
        if (index.contentLength >= 0) {
            end = index.bodyStart + index.contentLength;
            if (end > limit) end = limit;
        }
        return new SipMessage(data, first, end, limit, index);
    }

    /** A copy sharing the received bytes and caches, with its own copy of the edit list. */
    private SipMessage(SipMessage o) {
        this(o.buf, o.startLine, o.end, o.limit, o.index);
        values = o.values == null ? null : o.values.clone();
        parsed = o.parsed == null ? null : o.parsed.clone();
        originalUri = o.originalUri;
        edits = o.edits == null ? null : o.edits.copy();
        newUri = o.newUri;
        newUriParsed = o.newUriParsed;
        uriSets = o.uriSets;
        newBody = o.newBody;
        newContentType = o.newContentType;
    }

    // ---- first line
    public boolean isRequest() { return startLine.request(); }

    /** Request method as received (e.g. "INVITE"); for responses the CSeq method (null if CSeq is unusable). */
    public String method() {
        if (startLine.request()) return startLine.method();
        try {
            return cseq().method();
        } catch (SipParseException e) {
            return null;
        }
    }

    /** Current Request-URI text (after {@link #setRequestUri}); null for responses. */
    public String requestUri() {
        return newUri != null ? newUri : originalRequestUri();
    }

    /** Request-URI as received; null for responses. */
    public String originalRequestUri() {
        if (!startLine.request()) return null;
        if (originalUri == null) originalUri = Chars.str(buf, startLine.uriStart(), startLine.uriEnd());
        return originalUri;
    }

    /**
     * Parsed current Request-URI. Fails for a response, an unsupported scheme (reply code 416)
     * and for a URI with headers, which RFC 3261 §19.1.5 forbids in a Request-URI.
     */
    public SipUri parsedRequestUri() throws SipParseException {
        if (!startLine.request()) throw new SipParseException("Not a request");
        if (newUri != null) {
            if (newUriParsed == null) newUriParsed = parseRequestUri(newUri);
            return newUriParsed;
        }
        SipUri u = (SipUri) cached(P_RURI);
        if (u == null) {
            u = parseRequestUri(originalRequestUri());
            cache(P_RURI, u);
        }
        return u;
    }

    private static SipUri parseRequestUri(String text) throws SipParseException {
        SipUri u = SipUri.parse(text);
        if (u.headers() != null) throw new SipParseException("Headers in Request-URI");
        return u;
    }

    /** The first line as received, without its line end. */
    public String firstLine() {
        int e = startLine.headersStart() - 1;
        if (e > startLine.start() && buf[e - 1] == '\r') e--;
        return Chars.str(buf, startLine.start(), e);
    }

    /** Status code of a response; 0 for requests. */
    public int status() { return startLine.status(); }

    /** Reason phrase of a response (may be empty); null for requests. */
    public String reason() {
        return startLine.request() ? null : Chars.str(buf, startLine.reasonStart(), startLine.reasonEnd());
    }

    // ---- headers (as received; names case-insensitive, compact forms equal to long ones)
    /** Value of the first field of that name (the whole field, lists not split), trimmed, folding undone; null if absent. */
    public String header(String name) {
        int i = find(name, 0);
        return i < 0 ? null : value(i);
    }

    /** Every header field of that name, in order, one entry per field line. */
    public List<String> headers(String name) {
        int id = HeaderNames.id(name);
        String canon = canonicalIfOther(id, name);
        List<String> out = new ArrayList<>(2);
        for (int i = find(id, canon, 0); i >= 0; i = find(id, canon, i + 1)) out.add(value(i));
        return out;
    }

    /**
     * Every value, comma-separated lists split for list headers (Via, Route, Record-Route,
     * Contact, Allow, Supported, ...: commas inside quotes or &lt;&gt; do not split); headers not
     * known to be lists (Date, Subject, authorization headers, unknown names) give one value per
     * field.
     */
    public List<String> headerValues(String name) {
        int id = HeaderNames.id(name);
        if (!HeaderNames.isList(id)) return headers(name);
        String canon = canonicalIfOther(id, name);
        List<String> out = new ArrayList<>(4);
        for (int i = find(id, canon, 0); i >= 0; i = find(id, canon, i + 1)) {
            int[] r = ValueLists.ranges(buf, index.valueStart(i), index.valueEnd(i));
            for (int k = 0; k < r.length; k += 2) {
                if (r[k + 1] > r[k]) out.add(text(i, r[k], r[k + 1]));
            }
        }
        return out;
    }

    /** All header fields in received order. */
    public List<Header> allHeaders() {
        List<Header> out = new ArrayList<>(index.count());
        for (int i = 0; i < index.count(); i++) out.add(field(i));
        return out;
    }

    /** The fields of that name (any spelling, compact forms included) in received order; only those are decoded. */
    public List<Header> headerFields(String name) {
        int id = HeaderNames.id(name);
        String canon = canonicalIfOther(id, name);
        List<Header> out = new ArrayList<>(2);
        for (int i = find(id, canon, 0); i >= 0; i = find(id, canon, i + 1)) out.add(field(i));
        return out;
    }

    private Header field(int i) {
        return new Header(Chars.str(buf, index.start(i), index.nameEnd(i)), value(i), index.start(i), index.end(i));
    }

    public boolean hasHeader(String name) {
        return find(name, 0) >= 0;
    }

    /** Number of fields of that name. */
    public int headerCount(String name) {
        int id = HeaderNames.id(name);
        String canon = canonicalIfOther(id, name);
        int n = 0;
        for (int i = find(id, canon, 0); i >= 0; i = find(id, canon, i + 1)) n++;
        return n;
    }

    /** First Via value; fails if there is none or it does not parse. */
    public Via topVia() throws SipParseException {
        Via v = (Via) cached(P_TOP_VIA);
        if (v == null) {
            int i = find(HeaderNames.VIA, null, 0);
            if (i < 0) throw new SipParseException("Missing Via header");
            int[] r = ValueLists.ranges(buf, index.valueStart(i), index.valueEnd(i), 1);
            if (r[1] == r[0]) throw new SipParseException("Empty Via value");
            v = Via.parse(text(i, r[0], r[1]));
            cache(P_TOP_VIA, v);
        }
        return v;
    }

    /** Every Via value in order (lists split); fails if any is empty or does not parse. */
    @SuppressWarnings("unchecked")
    public List<Via> vias() throws SipParseException {
        List<Via> vs = (List<Via>) cached(P_VIAS);
        if (vs == null) {
            List<Via> out = new ArrayList<>(4);
            for (int i = find(HeaderNames.VIA, null, 0); i >= 0; i = find(HeaderNames.VIA, null, i + 1)) {
                int[] r = ValueLists.ranges(buf, index.valueStart(i), index.valueEnd(i));
                for (int k = 0; k < r.length; k += 2) {
                    if (r[k + 1] == r[k]) throw new SipParseException("Empty Via value");
                    out.add(Via.parse(text(i, r[k], r[k + 1])));
                }
            }
            if (out.isEmpty()) throw new SipParseException("Missing Via header");
            vs = List.copyOf(out);
            cache(P_VIAS, vs);
        }
        return vs;
    }

    public NameAddr from() throws SipParseException {
        return singleAddr(HeaderNames.FROM, P_FROM, "From");
    }

    public NameAddr to() throws SipParseException {
        return singleAddr(HeaderNames.TO, P_TO, "To");
    }

    private NameAddr singleAddr(int id, int slot, String what) throws SipParseException {
        NameAddr a = (NameAddr) cached(slot);
        if (a == null) {
            int i = find(id, null, 0);
            if (i < 0) throw new SipParseException("Missing " + what + " header");
            a = NameAddr.parse(value(i));
            cache(slot, a);
        }
        return a;
    }

    /** Contact values in order (a wildcard gives uri "*"); empty if none. */
    public List<NameAddr> contacts() throws SipParseException {
        return addrList(HeaderNames.CONTACT, P_CONTACTS);
    }

    /** Route values in order; empty if none. */
    public List<NameAddr> routes() throws SipParseException {
        return addrList(HeaderNames.ROUTE, P_ROUTES);
    }

    /** Record-Route values in order; empty if none. */
    public List<NameAddr> recordRoutes() throws SipParseException {
        return addrList(HeaderNames.RECORD_ROUTE, P_RECORD_ROUTES);
    }

    @SuppressWarnings("unchecked")
    private List<NameAddr> addrList(int id, int slot) throws SipParseException {
        List<NameAddr> l = (List<NameAddr>) cached(slot);
        if (l == null) {
            List<NameAddr> out = new ArrayList<>(2);
            for (int i = find(id, null, 0); i >= 0; i = find(id, null, i + 1)) {
                int[] r = ValueLists.ranges(buf, index.valueStart(i), index.valueEnd(i));
                for (int k = 0; k < r.length; k += 2) {
                    if (r[k + 1] == r[k]) throw new SipParseException("Empty " + HeaderNames.name(id) + " value");
                    out.add(NameAddr.parse(text(i, r[k], r[k + 1])));
                }
            }
            l = List.copyOf(out);
            cache(slot, l);
        }
        return l;
    }

    /** Call-ID value or null. */
    public String callId() {
        int i = find(HeaderNames.CALL_ID, null, 0);
        return i < 0 ? null : value(i);
    }

    public CSeq cseq() throws SipParseException {
        CSeq c = (CSeq) cached(P_CSEQ);
        if (c == null) {
            int i = find(HeaderNames.CSEQ, null, 0);
            if (i < 0) throw new SipParseException("Missing CSeq header");
            c = CSeq.parse(value(i));
            cache(P_CSEQ, c);
        }
        return c;
    }

    /** Max-Forwards value; -1 if absent; fails unless 0..255. */
    public int maxForwards() throws SipParseException {
        int i = find(HeaderNames.MAX_FORWARDS, null, 0);
        if (i < 0) return -1;
        long v = Chars.parseUnsigned(buf, index.valueStart(i), index.valueEnd(i), 255);
        if (v < 0) throw new SipParseException("Invalid Max-Forwards");
        return (int) v;
    }

    /** Content-Length as received; -1 if absent. */
    public int contentLength() {
        return index.contentLength;
    }

    /** Content-Type value or null. */
    public String contentType() {
        int i = find(HeaderNames.CONTENT_TYPE, null, 0);
        return i < 0 ? null : value(i);
    }

    /** Body bytes as received (exactly Content-Length bytes). */
    public byte[] body() {
        return Arrays.copyOfRange(buf, index.bodyStart, end);
    }

    /** The body as it will be sent: the one given to {@link #setBody} if any, else the received one. */
    public byte[] currentBody() {
        return newBody != null ? newBody : body();
    }

    /** Length of the received body. */
    public int bodyLength() {
        return end - index.bodyStart;
    }

    /**
     * Bytes received after the header block: the rest of the datagram, which may be more than
     * Content-Length (what Kamailio's sanity compares with Content-Length).
     */
    public int receivedBodyLength() {
        return limit - index.bodyStart;
    }

    /** The Content-Length promises more body than arrived (a datagram cut short). */
    boolean bodyShort() {
        return index.contentLength >= 0 && index.bodyStart + index.contentLength > limit;
    }

    /** Whole received message, unmodified (without bytes after the body). */
    public byte[] rawBytes() {
        return Arrays.copyOfRange(buf, startLine.start(), end);
    }

    /**
     * Strict check of what a proxy relies on, beyond what parsing already checked: Via, From,
     * To, Call-ID and CSeq present once each (Via at least once), every Via, From, To, Contact,
     * Route and Record-Route value parses, CSeq and Max-Forwards in range and the CSeq method
     * equal to the request method, a sip/sips/tel Request-URI without headers, Expires and
     * Retry-After numbers within 2^32-1, a Date in GMT. The exception's reply code says what to
     * answer (400, 416 ...). Reads only; the message stays usable when it fails.
     */
    public void validate() throws SipParseException {
        MessageValidator.validate(this);
    }

    // ---- edits (lumps)
    /** Appends a header line "Name: value" (CRLF optional) after the last header. */
    public void appendHeader(String line) {
        edits().insert(index.headersEnd, line(line));
    }

    /** Inserts a header line before the first header. */
    public void insertHeader(String line) {
        edits().insert(firstHeaderStart(), line(line));
    }

    /** Inserts a header line before the first header of that name (at the end if none). */
    public void insertHeaderBefore(String line, String name) {
        int i = find(name, 0);
        edits().insert(i < 0 ? index.headersEnd : index.start(i), line(line));
    }

    /** Appends a header line after the first header of that name (at the end if none). */
    public void appendHeaderAfter(String line, String name) {
        int i = find(name, 0);
        edits().insert(i < 0 ? index.headersEnd : index.end(i), line(line));
    }

    /** Removes every field of that name; returns how many. */
    public int removeHeaders(String name) {
        int id = HeaderNames.id(name);
        String canon = canonicalIfOther(id, name);
        int n = 0;
        for (int i = find(id, canon, 0); i >= 0; i = find(id, canon, i + 1)) {
            edits().delete(index.start(i), index.end(i));
            n++;
        }
        return n;
    }

    /** Inserts text as given (header lines with their CRLF) before one field of {@link #allHeaders()}. */
    public void insertBefore(Header h, String text) {
        edits().insert(h.start(), text.getBytes(StandardCharsets.UTF_8));
    }

    /** Inserts text as given right after one field of {@link #allHeaders()}. */
    public void insertAfter(Header h, String text) {
        edits().insert(h.end(), text.getBytes(StandardCharsets.UTF_8));
    }

    /** The received bytes [start,end) as ISO-8859-1 text (offsets as in {@link Header}): where a lump-style edit goes. */
    public String receivedText(int start, int end) {
        if (start < startLine.start() || end > this.end || start > end) throw new IndexOutOfBoundsException(start + ".." + end);
        return new String(buf, start, end - start, StandardCharsets.ISO_8859_1);
    }

    /**
     * Replaces the received bytes [start,end) with text on the way out (an insertion when
     * start == end), as Kamailio's del_lump + insert_new_lump: for edits inside a header value
     * (nathelper's Contact rewrites). Reads keep seeing the received bytes.
     */
    public void replaceRange(int start, int end, String text) {
        if (start < startLine.start() || end > index.headersEnd || start > end) throw new IndexOutOfBoundsException(start + ".." + end);
        edits().replace(start, end, text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Removes one field (one of {@link #allHeaders()}). */
    public void removeHeader(Header h) {
        edits().delete(h.start(), h.end());
    }

    /**
     * Replaces one field (one of {@link #allHeaders()}) with text: whole header lines, CRLF
     * terminated, possibly several or none. A second change to the same field is ignored.
     */
    public void replaceHeader(Header h, String text) {
        edits().replace(h.start(), h.end(), text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Overwrites the value of the first field of that name inside the received bytes, right
     * aligned and padded with spaces to the value's length, as Kamailio's maxfwd does: reads of
     * this message (and copies made later) see the new text. False if there is no such field or
     * the text is longer than the value.
     */
    public boolean rewriteInPlace(String name, String text) {
        int i = find(HeaderNames.id(name), HeaderNames.canonical(name), 0);
        if (i < 0) return false;
        int from = index.valueStart(i), to = index.valueEnd(i);
        int pad = to - from - text.length();
        if (pad < 0) return false;
        for (int k = 0; k < pad; k++) buf[from + k] = ' ';
        for (int k = 0; k < text.length(); k++) buf[from + pad + k] = (byte) text.charAt(k);
        if (values != null) values[i] = null;
        return true;
    }

    /** Rewrites the Request-URI; {@link #requestUri()} returns it from now on. Requests only (else IllegalStateException). */
    public void setRequestUri(String uri) {
        if (!startLine.request()) throw new IllegalStateException("Not a request");
        newUri = uri;
        newUriParsed = null;
        uriSets++;
    }

    /**
     * Kamailio's ruri_mark_new without a rewrite: the R-URI is usable for a branch again because
     * the next hop changed ($du, native setdsturi, dispatcher, loose_route, uac_auth do this in 5.6.3).
     */
    public void markRequestUriNew() {
        uriSets++;
    }

    /** How often the Request-URI was set or marked new on this message (and the one it was copied from). */
    public int requestUriSets() {
        return uriSets;
    }

    /**
     * Replaces the body (Content-Length recomputed, added if absent; Content-Type replaced or
     * added if non-null). The array is kept, not copied.
     */
    public void setBody(byte[] body, String contentType) {
        newBody = body == null ? new byte[0] : body;
        if (contentType != null) newContentType = contentType;
    }

    /** Adds a Via value on top (the proxy's own Via), as its own field before the first Via. */
    public void prependVia(String viaValue) {
        int i = find(HeaderNames.VIA, null, 0);
        edits().insert(i < 0 ? firstHeaderStart() : index.start(i), field("Via: ", viaValue));
    }

    /**
     * Removes the top Via value (relaying a response upstream): the whole first Via field if it
     * holds one value, else only its first value ("Via: a, b" becomes "Via: b").
     */
    public void removeTopVia() {
        int i = find(HeaderNames.VIA, null, 0);
        if (i < 0) return;
        int[] r = ValueLists.ranges(buf, index.valueStart(i), index.valueEnd(i), 2);
        if (r.length == 2) edits().delete(index.start(i), index.end(i));
        else edits().delete(r[0], r[2]);
    }

    /** Adds a Record-Route header line above the existing ones (before the first header). */
    public void insertRecordRoute(String value) {
        edits().insert(firstHeaderStart(), field("Record-Route: ", value));
    }

    /**
     * Sets a parameter of the top Via (received=, rport=) on the outgoing bytes: replaces it if
     * present (a bare "rport" becomes "rport=5060"), else appends ";name=value". A null value
     * writes a flag.
     */
    public void setTopViaParam(String name, String value) {
        int i = find(HeaderNames.VIA, null, 0);
        if (i < 0) return;
        int[] r = ValueLists.ranges(buf, index.valueStart(i), index.valueEnd(i), 1);
        String param = value == null ? name : name + "=" + value;
        int[] found = ViaParamLocator.find(buf, r[0], r[1], name);
        if (found != null) edits().replace(found[0], found[1], param.getBytes(StandardCharsets.UTF_8));
        else edits().insert(r[1], (";" + param).getBytes(StandardCharsets.UTF_8));
    }

    /** A copy sharing the received bytes with its own edit list (a copy of the current one): one per tm branch. */
    public SipMessage copy() {
        return new SipMessage(this);
    }

    /**
     * Marks {@code step} (APPLIED_*) as applied to this copy; false if it was already. The mark
     * lives on the copy, not with whoever applied it, so a finished transaction keeps no
     * outgoing copy alive only to remember it.
     */
    public boolean markApplied(int step) {
        if ((applied & step) != 0) return false;
        applied |= step;
        return true;
    }

    /**
     * Forgets the decoded values and parsed headers, which are decoded again from the bytes when
     * next asked for: a message kept long (a waiting transaction's request) then holds only its
     * bytes, its edits and a header index of its own size.
     */
    public void dropCaches() {
        index = index.compact();
        values = null;
        parsed = null;
        originalUri = null;
        newUriParsed = null;
    }

    /** Whether any edit, URI rewrite or body change is pending. */
    public boolean isModified() {
        return (edits != null && edits.size() > 0) || newUri != null || newBody != null;
    }

    /** The message with every edit applied; untouched bytes exactly as received. */
    public byte[] toBytes() {
        if (!isModified()) return rawBytes();
        if (newUri == null && newBody == null) return edits.apply(buf, startLine.start(), end);
        EditList all = edits == null ? new EditList() : edits.copy();
        if (newUri != null) all.replace(startLine.uriStart(), startLine.uriEnd(), newUri.getBytes(StandardCharsets.UTF_8));
        if (newBody != null) {
            all.replace(index.bodyStart, end, newBody);
            byte[] len = Integer.toString(newBody.length).getBytes(StandardCharsets.US_ASCII);
            boolean had = false;
            for (int i = find(HeaderNames.CONTENT_LENGTH, null, 0); i >= 0; i = find(HeaderNames.CONTENT_LENGTH, null, i + 1)) {
                all.replace(index.valueStart(i), index.valueEnd(i), len);
                had = true;
            }
            if (newContentType != null) {
                int ct = find(HeaderNames.CONTENT_TYPE, null, 0);
                byte[] v = newContentType.getBytes(StandardCharsets.UTF_8);
                if (ct >= 0) all.replace(index.valueStart(ct), index.valueEnd(ct), v);
                else all.insert(index.headersEnd, line("Content-Type: " + newContentType));
            }
            if (!had) all.insert(index.headersEnd, line("Content-Length: " + newBody.length));
        }
        return all.apply(buf, startLine.start(), end);
    }

    /** The message as text (UTF-8), edits applied; for logs and tests. */
    @Override
    public String toString() {
        return new String(toBytes(), StandardCharsets.UTF_8);
    }

    // ---- building messages
    /**
     * A response to a request per RFC 3261 §8.2.6: Via, From, To (tag added if toTag non-null and
     * none present), Call-ID, CSeq copied; Content-Length set; extra lines ("Name: value") added.
     * The copied fields keep their received bytes (names, compact forms, folding), as Kamailio's
     * replies do. IllegalArgumentException if the code is outside 100..699 or an extra line or the
     * reason breaks the message.
     */
    public static SipMessage response(SipMessage request, int code, String reason, String toTag,
                                      List<String> extraHeaders, byte[] body) {
        return MessageBuilder.response(request, code, reason, toTag, extraHeaders, body);
    }

    /**
     * A request from parts (CANCEL, hop-by-hop ACK ...); header lines in order (a Content-Length
     * among them is dropped), Content-Length added. IllegalArgumentException if the result does
     * not parse.
     */
    public static SipMessage request(String method, String requestUri, List<String> headerLines, byte[] body) {
        return MessageBuilder.request(method, requestUri, headerLines, body);
    }

    /**
     * For a datagram that {@link #parse} rejected: recovers what a stateless error reply needs
     * (the Request-Line's method, the Via fields with a parseable top Via, From, To, Call-ID and
     * CSeq) and returns a minimal request carrying only those, fit for {@link #response}. Returns
     * null when that is impossible (a response, no parseable top Via, a missing field) or
     * pointless (ACK, which is never answered). The transport uses it as: parse; on failure
     * {@code parseForErrorReply(bytes)}; if non-null send {@code response(req, e.replyCode(),
     * e.getMessage(), ...)} to the top Via.
     */
    public static SipMessage parseForErrorReply(byte[] data) {
        return ErrorReplyRecovery.recover(data);
    }

    // ---- internals shared with the package
    byte[] buffer() { return buf; }

    HeaderIndex index() { return index; }

    /** Index of the first field of that name (any spelling) at or after from; -1 if none. */
    private int find(String name, int from) {
        int id = HeaderNames.id(name);
        return find(id, canonicalIfOther(id, name), from);
    }

    /** The canonical name {@link #find} needs for names without an id (well-known names are matched by id). */
    private static String canonicalIfOther(int id, String name) {
        return id == HeaderNames.OTHER ? HeaderNames.canonical(name) : null;
    }

    /** Index of the first field at or after from with that id (or, for OTHER, that canonical name); -1 if none. */
    int find(int id, String canonical, int from) {
        HeaderIndex x = index;
        int n = x.count();
        if (id != HeaderNames.OTHER) {
            for (int i = from; i < n; i++) if (x.type(i) == id) return i;
            return -1;
        }
        for (int i = from; i < n; i++) {
            if (x.type(i) == HeaderNames.OTHER && Chars.equalsLower(buf, x.start(i), x.nameEnd(i), canonical)) return i;
        }
        return -1;
    }

    /** buf[from,to) inside field i as a String, folding undone only if the field has any. */
    private String text(int i, int from, int to) {
        return index.folded(i) ? ValueLists.unfolded(buf, from, to) : Chars.str(buf, from, to);
    }

    /** Decoded value of field i, cached. */
    String value(int i) {
        if (values == null) values = new String[index.count()];
        String v = values[i];
        if (v == null) {
            v = text(i, index.valueStart(i), index.valueEnd(i));
            values[i] = v;
        }
        return v;
    }

    private int firstHeaderStart() {
        return index.count() > 0 ? index.start(0) : index.headersEnd;
    }

    private EditList edits() {
        if (edits == null) edits = new EditList();
        return edits;
    }

    /** "name: value" CRLF as bytes (name ASCII). */
    private static byte[] field(String namePrefix, String value) {
        int n = namePrefix.length();
        int vn = value.length();
        if (isAscii(value)) {
            // the usual case (our own Via, Record-Route): one array, no intermediate encoding
            byte[] out = new byte[n + vn + 2];
            for (int i = 0; i < n; i++) out[i] = (byte) namePrefix.charAt(i);
            for (int i = 0; i < vn; i++) out[n + i] = (byte) value.charAt(i);
            out[n + vn] = '\r';
            out[n + vn + 1] = '\n';
            return out;
        }
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[n + v.length + 2];
        for (int i = 0; i < n; i++) out[i] = (byte) namePrefix.charAt(i);
        System.arraycopy(v, 0, out, n, v.length);
        out[n + v.length] = '\r';
        out[n + v.length + 1] = '\n';
        return out;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) >= 0x80) return false;
        return true;
    }

    private static byte[] line(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0 && b[b.length - 1] == '\n') return b;
        byte[] out = Arrays.copyOf(b, b.length + 2);
        out[b.length] = CRLF[0];
        out[b.length + 1] = CRLF[1];
        return out;
    }

    private static final int P_RURI = 0, P_TOP_VIA = 1, P_VIAS = 2, P_FROM = 3, P_TO = 4, P_CSEQ = 5,
            P_CONTACTS = 6, P_ROUTES = 7, P_RECORD_ROUTES = 8, P_SLOTS = 9;

    private Object cached(int slot) {
        return parsed == null ? null : parsed[slot];
    }

    private void cache(int slot, Object o) {
        if (parsed == null) parsed = new Object[P_SLOTS];
        parsed[slot] = o;
    }
}
