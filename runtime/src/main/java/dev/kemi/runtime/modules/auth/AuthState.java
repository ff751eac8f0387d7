package dev.kemi.runtime.modules.auth;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.sip.Header;
import java.util.HashMap;
import java.util.Map;

/**
 * Per message: credentials parsed so far (by header position) and the ones an authentication
 * function marked as authorized (Kamailio keeps both in the sip_msg's hdr_field->parsed).
 */
final class AuthState {
    private final Map<Integer, DigestCredentials> parsed = new HashMap<>(2);
    /** The authorized credentials' header and whether it is a Proxy-Authorization. */
    Header authorized;
    boolean authorizedProxy;
    DigestCredentials authorizedCredentials;
    boolean consumed;

    static AuthState of(MessageContext ctx) {
        return ctx.attachment(AuthState.class, AuthState::new);
    }

    static AuthState peek(MessageContext ctx) {
        return ctx.attachment(AuthState.class);
    }

    DigestCredentials parse(Header h) {
        return parsed.computeIfAbsent(h.start(), k -> DigestCredentials.parse(h.value()));
    }
}
