package dev.kemi.runtime.core;

import dev.kemi.runtime.transport.ReceiveInfo;

/**
 * A module that takes messages that are not SIP on a SIP stream connection (Kamailio's
 * SREV_RCV_NOSIP event; xhttp takes HTTP requests). Called on the worker, before SIP parsing.
 */
public interface NonSipHandler {
    /** @return true when the message was taken (nothing else is done with it) */
    boolean onNonSip(byte[] data, ReceiveInfo from);
}
