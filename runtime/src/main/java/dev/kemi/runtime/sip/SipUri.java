package dev.kemi.runtime.sip;

import java.util.Map;

/**
 * A sip:, sips: or tel: URI (RFC 3261 §19.1, RFC 3966). API SKELETON, see {@link SipMessage}.
 *
 * @param scheme   "sip", "sips" or "tel" (lower case)
 * @param user     user part (tel: the number), null if none
 * @param password null if none
 * @param host     host (IPv6 with brackets), null for tel:
 * @param port     -1 if absent
 * @param params   URI parameters in order, lower-case names; value "" for flags
 * @param headers  ?headers, raw text after '?', null if none
 * @param text     the URI text as given
 */
public record SipUri(String scheme, String user, String password, String host, int port,
                     Map<String, String> params, String headers, String text) {

    public static SipUri parse(String text) throws SipParseException {
        throw new UnsupportedOperationException("TODO");
    }

    public String param(String name) {
        return params.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    /** "transport" parameter lower-cased, or null. */
    public String transport() {
        String t = param("transport");
        return t == null ? null : t.toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String toString() {
        return text;
    }
}
