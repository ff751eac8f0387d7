package dev.kemi.runtime.compare;

import java.util.List;

/**
 * How a UA answers on its own (a UAS).
 *
 * @param invite  responses to a new INVITE, in order (e.g. 180, 200 or 486); none final = rings forever
 * @param delayMs virtual/real ms before each response after the first, and before the 487 after a CANCEL
 * @param other   response code to any other request except ACK and CANCEL (BYE, OPTIONS, INFO ...)
 * @param sdp     put an SDP answer in the 2xx when the INVITE carried an offer
 */
public record AnswerRules(List<Integer> invite, long delayMs, int other, boolean sdp) {}
