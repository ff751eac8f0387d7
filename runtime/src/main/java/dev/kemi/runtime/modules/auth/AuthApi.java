package dev.kemi.runtime.modules.auth;

import dev.kemi.runtime.core.MessageContext;

/**
 * What the auth module offers the modules that authenticate against a backend (auth_db):
 * Kamailio's auth_api_s_t (pre_auth, post_auth, calc_HA1, check_response, challenge).
 * Bound with {@code services.api(AuthApi.class, "auth_db", "auth")}.
 */
public interface AuthApi {
    /** Which header holds the credentials: WWW (Authorization) or proxy (Proxy-Authorization). */
    enum HeaderType { WWW, PROXY }

    /** Kamailio's auth_result_t as pre_auth / post_auth / check_response return it. */
    enum Result { NONCE_REUSED, NO_CREDENTIALS, STALE_NONCE, ERROR, NOT_AUTHENTICATED, DO_AUTHENTICATION, AUTHENTICATED, BAD_CREDENTIALS }

    /** The outcome of pre_auth and, for DO_AUTHENTICATION, the credentials to check. */
    record PreAuth(Result result, DigestCredentials credentials) {}

    /**
     * Finds the credentials for the realm (after realm_prefix is stripped), marks them as the
     * authorized ones of the message, checks they are complete and the nonce is good.
     * ACK, CANCEL and PRACK are AUTHENTICATED without a look.
     */
    PreAuth preAuth(MessageContext ctx, String realm, HeaderType type);

    /** After a good response: the Authentication-Info header (add_authinfo_hdr); AUTHENTICATED. */
    Result postAuth(MessageContext ctx, DigestCredentials credentials, String ha1);

    /** AUTHENTICATED, NOT_AUTHENTICATED (wrong response) or BAD_CREDENTIALS (response of the wrong length). */
    Result checkResponse(MessageContext ctx, DigestCredentials credentials, String method, String ha1);

    /** H(A1) of the configured algorithm. */
    String ha1(String username, String realm, String password);

    /** The realm with realm_prefix stripped. */
    String stripRealm(String realm);

    /** auth_challenge_hftype: sends 401/407 with a new challenge; 1, or -2/-3/-4 as Kamailio. */
    int challenge(MessageContext ctx, String realm, int flags, HeaderType type);

    /** 1 the authorized credentials were removed, -1 none. */
    int consumeCredentials(MessageContext ctx);
}
