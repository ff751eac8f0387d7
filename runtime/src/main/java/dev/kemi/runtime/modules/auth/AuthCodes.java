package dev.kemi.runtime.modules.auth;

/** What auth and auth_db functions return to the script (Kamailio's auth_cfg_result_t). */
public final class AuthCodes {
    public static final int USER_MISMATCH = -8;
    public static final int USERNAME_EXPIRED = -7;
    public static final int NONCE_REUSED = -6;
    public static final int NO_CREDENTIALS = -5;
    public static final int STALE_NONCE = -4;
    public static final int USER_UNKNOWN = -3;
    public static final int INVALID_PASSWORD = -2;
    public static final int ERROR = -1;
    public static final int OK = 1;

    /** auth_check / pv_auth_check flag: the auth user must be the From (To for REGISTER/PUBLISH) user. */
    public static final int CHECK_ID = 1;
    /** auth_check flag: skip that check for INVITE, BYE, PRACK, UPDATE, MESSAGE. */
    public static final int CHECK_SKIP_FWD = 2;

    private AuthCodes() {}

    /** The script code for a pre_auth outcome that ends the check (anything but DO_AUTHENTICATION). */
    public static int of(AuthApi.Result r) {
        return switch (r) {
            case NONCE_REUSED -> NONCE_REUSED;
            case STALE_NONCE -> STALE_NONCE;
            case NO_CREDENTIALS -> NO_CREDENTIALS;
            case AUTHENTICATED -> OK;
            default -> ERROR;
        };
    }
}
