package dev.kemi.runtime.compare;

/**
 * One scenario played against one configuration.
 *
 * @param failure why the scenario stopped early (an expect not met, a template error), or null
 * @param virtual true when played on the virtual clock (times are exact and compared)
 */
public record ScenarioResult(String scenario, String side, Trace trace, String failure, boolean virtual) {}
