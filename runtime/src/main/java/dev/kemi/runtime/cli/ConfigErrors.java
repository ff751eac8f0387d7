package dev.kemi.runtime.cli;

import dev.kemi.api.ScriptException;
import java.nio.file.Path;

/** One line for a config that failed to load: "file:line: reason". */
final class ConfigErrors {
    private ConfigErrors() {}

    static String describe(Path cfg, RuntimeException e) {
        if (e instanceof ScriptException) return e.getMessage();
        // not located by the loader (unreadable file ...): name the file at least
        return cfg + ":0: " + (e.getMessage() != null ? e.getMessage() : e.toString());
    }
}
