package dev.kemi.runtime.compare;

import java.util.List;

/**
 * One SIP scenario: the user agents around the proxy and the steps they play.
 *
 * @param settleMs time to let run after the last step (late retransmissions, timeouts)
 */
public record Scenario(String name, String description, String file, List<UaSpec> uas, List<Step> steps, long settleMs) {
    public UaSpec ua(String name) {
        for (UaSpec u : uas) if (u.name().equals(name)) return u;
        return null;
    }
}
