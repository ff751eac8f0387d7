package dev.kemi.runtime.modules.tm;

/** Kamailio's internal error codes (core/error.h) and their reply texts (err2reason_phrase). */
public final class TmErrors {
    static final int E_UNSPEC = -1;
    static final int E_CFG = -6;
    static final int E_NO_SOCKET = -7;
    static final int E_SCRIPT = -10;
    static final int E_SEND = -477;
    static final int E_BAD_ADDRESS = -478;
    static final int E_BAD_URI = -479;
    static final int E_BAD_REQ = -400;
    /** t_relay with internal replies disabled: the transaction lives on, nothing is sent upstream. */
    static final int NO_INTERNAL_REPLY = -4;

    private TmErrors() {}

    /** SIP code for an internal error (err2reason_phrase; tm's kill_transaction, sl_reply_error). */
    public static int sipCode(int err) {
        return switch (err) {
            case E_SEND, E_BAD_ADDRESS, E_BAD_URI, E_BAD_REQ -> -err;
            default -> 500;
        };
    }

    /** Reason phrase as err2reason_phrase() builds it with the "TM" signature. */
    static String reason(int err) {
        return reason(err, "TM");
    }

    /** Reason phrase as err2reason_phrase() builds it: text, then "(code/signature)". */
    public static String reason(int err, String signature) {
        String text = switch (err) {
            case E_SEND -> "Unfortunately error on sending to next hop occurred";
            case E_BAD_ADDRESS -> "Unresolvable destination";
            case E_BAD_REQ -> "Bad Request";
            case E_BAD_URI -> "Regretfully, we were not able to process the URI";
            default -> "I'm terribly sorry, server error occurred";
        };
        return text + " (" + (-err) + "/" + signature + ")";
    }

    /** Default reason phrase for a code (core error_text()). */
    static String text(int code) {
        return switch (code) {
            case 100 -> "Trying";
            case 180 -> "Ringing";
            case 181 -> "Call Is Being Forwarded";
            case 182 -> "Queued";
            case 183 -> "Session Progress";
            case 200 -> "OK";
            case 300 -> "Multiple Choices";
            case 301 -> "Moved Permanently";
            case 302 -> "Moved Temporarily";
            case 305 -> "Use Proxy";
            case 380 -> "Alternative Service";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 402 -> "Payment Required";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 407 -> "Proxy Authentication Required";
            case 408 -> "Request Timeout";
            case 410 -> "Gone";
            case 413 -> "Request Entity Too Large";
            case 414 -> "Request-URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 416 -> "Unsupported URI Scheme";
            case 417 -> "Bad Extension";
            case 421 -> "Extension Required";
            case 423 -> "Interval Too Brief";
            case 480 -> "Temporarily Unavailable";
            case 481 -> "Call/Transaction Does Not Exist";
            case 482 -> "Loop Detected";
            case 483 -> "Too Many Hops";
            case 484 -> "Address Incomplete";
            case 485 -> "Ambiguous";
            case 486 -> "Busy Here";
            case 487 -> "Request Terminated";
            case 488 -> "Not Acceptable Here";
            case 491 -> "Request Pending";
            case 500 -> "Server Internal Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Server Time-Out";
            case 505 -> "Version Not Supported";
            case 513 -> "Message Too Large";
            case 600 -> "Busy Everywhere";
            case 603 -> "Decline";
            case 604 -> "Does Not Exist Anywhere";
            case 606 -> "Not Acceptable";
            default -> code >= 600 ? "Global Failure" : code >= 500 ? "Server Failure"
                    : code >= 400 ? "Request Failure" : code >= 300 ? "Redirection"
                    : code >= 200 ? "Successful" : code >= 100 ? "Provisional" : "Unspecified";
        };
    }
}
