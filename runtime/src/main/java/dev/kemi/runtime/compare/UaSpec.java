package dev.kemi.runtime.compare;

import dev.kemi.runtime.transport.Protocol;

/**
 * A user agent of a scenario.
 *
 * @param port   0 = any (real-sockets mode binds an ephemeral port; virtual mode assigns one)
 * @param answer auto-answer rules, or null for a UA that only does what the steps say
 */
public record UaSpec(String name, String host, int port, Protocol transport, AnswerRules answer) {}
