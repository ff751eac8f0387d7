package dev.kemi.runtime.cli;

import dev.kemi.api.ScriptException;
import java.nio.file.Path;

/** One line for a config that failed to load: "file:line: reason" (one per error when the check found several). */
final class ConfigErrors {
    private ConfigErrors() {}

    static String describe(Path cfg, RuntimeException e) {
        if (e instanceof ScriptException) {
            StringBuilder b = new StringBuilder(e.getMessage());
            for (Throwable more : e.getSuppressed()) if (more instanceof ScriptException) b.append('\n').append(more.getMessage());
            return b.toString();
        }
        // not located by the loader (unreadable file ...): name the file at least
        return cfg + ":0: " + (e.getMessage() != null ? e.getMessage() : e.toString());
    }
}
