package dev.kemi.runtime.compare;

/** A scenario file that cannot be used; the message names the file and the step. */
public final class ScenarioException extends Exception {
    public ScenarioException(String message) {
        super(message);
    }

    public ScenarioException(String message, Throwable cause) {
        super(message, cause);
    }
}
