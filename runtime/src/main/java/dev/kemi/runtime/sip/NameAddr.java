package dev.kemi.runtime.sip;

import java.util.Map;

/**
 * name-addr or addr-spec with header parameters (From, To, Contact, Route, Record-Route).
 *
 * @param displayName null if none (quotes removed)
 * @param uri         the URI text (without angle brackets)
 * @param params      header parameters after the URI, lower-case names, in order
 * @param text        the value as given
 */
public record NameAddr(String displayName, String uri, Map<String, String> params, String text) {

    public static NameAddr parse(String text) throws SipParseException {
        throw new UnsupportedOperationException("TODO");
    }

    public String tag() {
        return params.get("tag");
    }

    public SipUri parsedUri() throws SipParseException {
        return SipUri.parse(uri);
    }
}
