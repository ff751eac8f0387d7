package dev.kemi.runtime.compare;

import java.util.List;

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

    /**
     * SIPp's {@code <ereg>}: searches the message the UA accepted last ({@code in}: "msg", "hdr"
     * for the lines of {@code header}, or "body") and assigns the whole match and then the groups
     * to {@code vars}, for ${var.NAME}; when {@code required}, no match stops the scenario.
     */
    record Capture(int index, String ua, java.util.regex.Pattern regex, String in, String header, List<String> vars,
                   boolean required) implements Step {}
}
