package dev.kemi.runtime.modules.tm;

import dev.kemi.runtime.sip.SipMessage;

/** The request with request_route's changes and its $du, as at the first forward; failure_route works on copies. */
record RequestSnapshot(SipMessage msg, String dstUri) {}
