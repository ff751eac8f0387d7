package dev.kemi.engine.lint;

/** One lint result, printed as {@code file:line:col: warning: message}. */
public record LintFinding(String file, int line, int column, Severity severity, String message) {
    public enum Severity { WARNING, ERROR }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + severity.name().toLowerCase() + ": " + message;
    }
}
