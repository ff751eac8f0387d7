package dev.kemi.runtime.modules.tm;

import dev.kemi.runtime.modules.sl.InternalErrors;

/** The internal error codes tm uses ({@link InternalErrors}), and core's reason texts by code. */
public final class TmErrors {
    static final int E_UNSPEC = InternalErrors.E_UNSPEC;
    static final int E_CFG = InternalErrors.E_CFG;
    static final int E_NO_SOCKET = InternalErrors.E_NO_SOCKET;
    static final int E_SCRIPT = InternalErrors.E_SCRIPT;
    static final int E_SEND = InternalErrors.E_SEND;
    static final int E_BAD_ADDRESS = InternalErrors.E_BAD_ADDRESS;
    static final int E_BAD_URI = InternalErrors.E_BAD_URI;
    static final int E_BAD_REQ = InternalErrors.E_BAD_REQ;
    static final int E_CANCELED = InternalErrors.E_CANCELED;
    /** t_relay with internal replies disabled: the transaction lives on, nothing is sent upstream. */
    static final int NO_INTERNAL_REPLY = -4;

    private TmErrors() {}

    /** tm's reply for an internal error: err2reason_phrase() with the "TM" signature. */
    static String reason(int err) {
        return InternalErrors.reason(err, "TM");
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
