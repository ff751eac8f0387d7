package dev.kemi.runtime.sip;

/**
 * One header field as received.
 *
 * @param name  name as written (may be compact, e.g. "v")
 * @param value value, trimmed, with line folding replaced by a single space
 * @param start offset of the field's first byte in the received buffer
 * @param end   offset just after its CRLF
 */
public record Header(String name, String value, int start, int end) {
    /** Canonical long name in lower case ("v" and "Via" both give "via"). */
    public String canonicalName() {
        return HeaderNames.canonical(name);
    }
}
