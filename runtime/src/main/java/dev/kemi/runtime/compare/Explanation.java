package dev.kemi.runtime.compare;

/**
 * A known pitfall that matches a divergence.
 *
 * @param rule    short id of the rule ("zero-return", "int-as-bool" ...)
 * @param message what happened and where (file:line)
 */
public record Explanation(String rule, String message) {}
