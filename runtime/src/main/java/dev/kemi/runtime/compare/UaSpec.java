package dev.kemi.runtime.compare;

import dev.kemi.runtime.transport.Protocol;
import java.util.List;

/**
 * A user agent of a scenario.
 *
 * @param port   0 = any (real-sockets mode binds an ephemeral port; virtual mode assigns one)
 * @param answer auto-answer rules, or null for a UA that only does what the steps say
 * @param script null for a UA of the YAML format; for one imported from SIPp, the steps it plays on
 *               its own as messages arrive, beside the scenario's steps (empty when the scenario's
 *               steps are its own), and like SIPp it does nothing its script does not say (no ACK
 *               of its own for a non-2xx final response)
 */
public record UaSpec(String name, String host, int port, Protocol transport, AnswerRules answer, List<Step> script) {
    public UaSpec(String name, String host, int port, Protocol transport, AnswerRules answer) {
        this(name, host, port, transport, answer, null);
    }

    public boolean scripted() {
        return script != null;
    }
}
