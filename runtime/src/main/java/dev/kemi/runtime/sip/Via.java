package dev.kemi.runtime.sip;

import java.util.Map;

/**
 * One Via value (RFC 3261 §20.42, RFC 3581).
 *
 * @param transport "UDP", "TCP", ... upper case
 * @param host      sent-by host
 * @param port      sent-by port, -1 if absent
 * @param params    parameters in order, lower-case names; "" for flags (bare "rport")
 * @param text      the value as given
 */
public record Via(String transport, String host, int port, Map<String, String> params, String text) {

    public static Via parse(String text) throws SipParseException {
        throw new UnsupportedOperationException("TODO");
    }

    public String branch() { return params.get("branch"); }

    public String received() { return params.get("received"); }

    /** rport value: -1 absent, 0 present without value, else the port. */
    public int rport() {
        String v = params.get("rport");
        if (v == null) return -1;
        if (v.isEmpty()) return 0;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public String maddr() { return params.get("maddr"); }

    /** ttl, -1 if absent. */
    public int ttl() {
        String v = params.get("ttl");
        try {
            return v == null ? -1 : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
