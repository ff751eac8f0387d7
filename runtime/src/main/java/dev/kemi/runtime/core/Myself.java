package dev.kemi.runtime.core;

import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.SipUri;
import dev.kemi.runtime.transport.Protocol;

/** check_self over a URI, host or IP, with native cfg's and KEMI's port rules. */
final class Myself {
    private Myself() {}

    static boolean check(ProxyServices services, String value, boolean nativeDefaultPort) {
        if (value == null || value.isEmpty()) return false;
        String v = value.trim();
        if (v.startsWith("sip:") || v.startsWith("sips:") || v.startsWith("tel:")
                || v.startsWith("SIP:") || v.startsWith("SIPS:")) {
            try {
                SipUri u = SipUri.parse(v);
                if (u.host() == null) return false;
                boolean sips = u.scheme().equals("sips");
                Protocol proto = null;
                if (u.transport() != null) {
                    try {
                        proto = Protocol.parse(u.transport());
                    } catch (IllegalArgumentException e) {
                        return false;
                    }
                }
                // GET_URI_PORT: no port means 5061 over TLS (sips: or ;transport=tls), else 5060
                int port = u.port() > 0 ? u.port() : (nativeDefaultPort ? (sips || proto == Protocol.TLS ? 5061 : 5060) : 0);
                return services.isMyself(u.host(), port, proto);
            } catch (SipParseException e) {
                return false;
            }
        }
        return services.isMyself(v, 0, null);
    }
}
