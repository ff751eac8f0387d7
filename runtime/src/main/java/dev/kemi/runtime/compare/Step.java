package dev.kemi.runtime.compare;

/** One step of a scenario. */
public sealed interface Step {
    /** 1-based position in the scenario, for messages. */
    int index();

    /** A UA sends a message (template) to the proxy. */
    record Send(int index, String ua, String template) implements Step {}

    /**
     * A UA must receive a message matching {@code match} (a method, a status code, or a class
     * like "2xx") within {@code timeoutMs}; when {@code optional}, a non-matching or missing
     * message just skips the step.
     */
    record Expect(int index, String ua, String match, long timeoutMs, boolean optional) implements Step {}

    /** Let time run. */
    record Wait(int index, long ms) implements Step {}

    /** Drop the next {@code count} messages the proxy sends to a UA (forces retransmissions). */
    record Lose(int index, String ua, int count) implements Step {}
}
